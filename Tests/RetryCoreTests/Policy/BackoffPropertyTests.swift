import Testing
@testable import RetryCore

/// Properties of every backoff the options can express, over random
/// policies drawn from a seeded generator (so a failure reproduces).
@Suite struct BackoffPropertyTests {
    static let cases = 3_000

    /// A random policy: any strategy, jitter, base and cap up to the
    /// maximum duration, multiplier up to 1000.
    static func randomBackoff(_ random: inout SplitMix64) -> Backoff {
        let durations: [Duration] = [.zero, .nanoseconds(1), .milliseconds(1), .seconds(1), .seconds(60), .seconds(86_400), DurationText.maximum]
        func duration() -> Duration {
            // Half from the edges, half anywhere up to the maximum.
            random.next() % 2 == 0 ? durations[Int(random.next() % UInt64(durations.count))]
                : .clampedSeconds(random.nextUnit() * DurationText.maximum.seconds * random.nextUnit() * random.nextUnit())
        }
        let strategy = Strategy.allCases[Int(random.next() % 4)]
        let jitters: [Jitter] = [.none, .full, .equal, .proportional(random.nextUnit())]
        return Backoff(strategy: strategy, base: duration(), multiplier: 1 + 999 * random.nextUnit() + 1e-9,
                       cap: duration(), jitter: strategy == .decorrelated ? .none : jitters[Int(random.next() % 4)])
    }

    static func randomFailures(_ random: inout SplitMix64) -> Int {
        [1, 2, 3, 10, 64, 1_000, 1_000_000_000, Int(random.next() % 1_000_000_000) + 1][Int(random.next() % 8)]
    }

    @Test func everyDelayIsFiniteNonNegativeAndCapped() {
        var random = SplitMix64(seed: 2026)
        for _ in 0..<Self.cases {
            let backoff = Self.randomBackoff(&random)
            var previous: Duration?
            for _ in 0..<8 {
                let failures = Self.randomFailures(&random)
                let delay = backoff.delay(after: failures, previous: previous, using: &random)
                if !(delay >= .zero && delay <= backoff.cap) { Issue.record(Comment(rawValue: "\(backoff) after \(failures): \(delay)")) }
                #expect(delay.seconds.isFinite)
                let bounds = backoff.bounds(after: failures)
                #expect(bounds.lowerBound >= .zero && bounds.upperBound <= backoff.cap)
                previous = delay
            }
        }
    }

    @Test func decorrelatedStaysBetweenBaseAndCap() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<Self.cases {
            var backoff = Self.randomBackoff(&random)
            backoff.strategy = .decorrelated
            backoff.jitter = .none
            var previous: Duration?
            for failures in 1...20 {
                let delay = backoff.delay(after: failures, previous: previous, using: &random)
                if !(delay >= min(backoff.base, backoff.cap) && delay <= backoff.cap) { Issue.record(Comment(rawValue: "\(backoff): \(delay)")) }
                previous = delay
            }
        }
    }

    @Test func equalJitterKeepsAtLeastHalf() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<Self.cases {
            var backoff = Self.randomBackoff(&random)
            if backoff.strategy == .decorrelated { backoff.strategy = .exponential }
            backoff.jitter = .equal
            let failures = Self.randomFailures(&random)
            let t = backoff.nominal(after: failures)
            let delay = backoff.delay(after: failures, previous: nil, using: &random).seconds
            // Within a nanosecond of rounding.
            if !(delay >= t / 2 - 1e-9 && delay <= t + 1e-9) { Issue.record(Comment(rawValue: "\(backoff) after \(failures): \(delay) for t \(t)")) }
        }
    }

    @Test func theCumulativeScheduleNeverOverflows() {
        var random = SplitMix64(seed: 13)
        for _ in 0..<300 {
            var configuration = Configuration()
            configuration.backoff = Self.randomBackoff(&random)
            configuration.limits.maxAttempts = [2, 30, 1_000_000_000, Int.max][Int(random.next() % 4)]
            let schedule = Schedule(configuration)
            let total = schedule.worstCase ?? .zero
            #expect(total >= .zero && total.seconds.isFinite)
            #expect(schedule.rows.map(\.total) == schedule.rows.map(\.total).sorted(), "running totals only grow")
            #expect(!schedule.render().isEmpty)
        }
    }

    @Test func aSeededRunIsReproducible() {
        var random = SplitMix64(seed: 17)
        for _ in 0..<300 {
            let backoff = Self.randomBackoff(&random)
            let seed = random.next()
            func schedule() -> [Duration] {
                var generator = SplitMix64(seed: seed)
                var previous: Duration?
                return (1...12).map { failures in
                    let delay = backoff.delay(after: failures, previous: previous, using: &generator)
                    previous = delay
                    return delay
                }
            }
            #expect(schedule() == schedule())
        }
    }
}
