/// The rate the fleet pacer learns when `--rate` is not given: AIMD, as
/// TCP's congestion avoidance and the AWS SDKs' adaptive retry mode learn
/// a sending rate from a server's pushback. No limit until the first
/// throttle; each throttle cuts the stored rate (at most once per R, the
/// Retry-After it came with, so one herd of 429s answering the same
/// overload counts once); each success adds back a little.
package enum LearnedRate {
    /// A throttle multiplies the rate by this: the AWS SDKs' adaptive mode
    /// (beta 0.7) and CUBIC's decrease use 0.7 rather than TCP Reno's 0.5,
    /// which halves the throughput a fleet keeps after each cut.
    package static let cutFactor = 0.7
    /// The rate rises by this many slots per second for each second of
    /// successes at the rate (each success adds `increase / rate`): TCP's
    /// one segment per round trip, with a round trip of a second.
    package static let increase = 1.0
    /// Never slower than one slot a minute across the fleet: the hold
    /// already keeps runs away while a server asks for a longer pause, and
    /// a lower rate would only starve the fleet after it.
    package static let floor = 1.0 / 60
    /// No faster than this many slots a second; above it the pacer spaces
    /// nothing a process start would not.
    package static let ceiling = 1000.0

    /// The rate after a throttle at `now` with Retry-After `delay`
    /// seconds. When no rate is known yet the cut starts from one slot
    /// per R: the server asked for nothing before R, so one probe per R
    /// across the fleet is the only rate it has vouched for; the additive
    /// rise then finds the server's rate from below. A second throttle
    /// within R of the last cut changes nothing.
    package static func cut(_ state: inout PaceState, now: Double, delay: Double) {
        let window = max(1, delay)
        if state.learnedRate > 0, now < state.rateCutAt + window { return }
        let from = state.learnedRate > 0 ? state.learnedRate : 1 / window
        state.learnedRate = min(ceiling, max(floor, from * cutFactor))
        state.rateCutAt = now
    }

    /// The rate after a success: up by `increase / rate`, at most doubled
    /// (so the floor climbs out in a few successes, not one huge jump);
    /// no learned rate stays none.
    package static func recover(_ state: inout PaceState) {
        let rate = state.learnedRate
        guard rate > 0 else { return }
        state.learnedRate = min(ceiling, rate + min(rate, increase / rate))
    }
}
