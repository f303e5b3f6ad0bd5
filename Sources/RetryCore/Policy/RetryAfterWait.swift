/// How long a retry waits after a server's Retry-After: the value is a
/// floor (RFC 9110 says "the minimum time the user agent is asked to wait"),
/// not an alarm clock, so each run adds a random spread on top of it.
///
/// The spread is uniform in `0..<R` (so the wait is in `R..<2R`): every run
/// that a server turned away at once is told the same R, and waking them all
/// at R sends the whole wave back together, to be turned away again. In
/// `FleetSimulationTests` (retry's own decisions; 1000 runs started over
/// 1 s against a 20/s token bucket, burst 20, R = 5 s; medians of 5
/// seeds), exact Retry-After cost 14,768 requests and 156 s until all
/// were served, this spread 4,258 requests and 71 s. A narrower spread
/// (10-20% of R) leaves the wave nearly whole; a wider one only delays
/// the last runs further.
package enum RetryAfterWait {
    /// The spread's upper end as a fraction of R.
    package static let spread = 1.0

    /// The wait after a Retry-After of `asked`: at least `asked`, plus
    /// `width * unit` (`unit` in `0..<1`), and never more than `ceiling`
    /// (`--max-retry-after`). The width is `asked * spread`, or the
    /// backoff's delay before jitter (`backoff`) when that is longer: a
    /// server that keeps answering with a short R to a herd larger than it
    /// serves in R would otherwise see the herd come back every R for
    /// ever (in `FleetSimulationTests`, 1000 runs against 20/s with R = 1 s
    /// made about 17,000 requests with U(0, R) alone). `room`, when given,
    /// is the time left before the `--budget`: the spread is drawn within
    /// it, so a floor that fits is not turned into a give-up by its spread.
    package static func delay(asked: Duration, ceiling: Duration, room: Duration? = nil, backoff: Duration = .zero,
                              unit: Double) -> Duration {
        let floor = min(asked, ceiling)
        var widest = max(floor.seconds * spread, backoff.seconds)
        if let room { widest = min(widest, max(0, (room - floor).seconds)) }
        return min(ceiling, floor + .clampedSeconds(widest * unit))
    }

    /// The least and most a Retry-After of `asked` can make a run wait.
    package static func bounds(asked: Duration, ceiling: Duration) -> ClosedRange<Duration> {
        min(asked, ceiling)...delay(asked: asked, ceiling: ceiling, unit: 1)
    }
}
