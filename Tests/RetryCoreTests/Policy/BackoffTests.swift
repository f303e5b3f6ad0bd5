import Testing
@testable import RetryCore

@Suite struct BackoffTests {
    /// The first `count` delays of a run, with the previous delay fed back.
    func delays(_ backoff: Backoff, count: Int, seed: UInt64 = 42) -> [Duration] {
        var random = SplitMix64(seed: seed)
        var previous: Duration?
        return (1...count).map { failures in
            let delay = backoff.delay(after: failures, previous: previous, using: &random)
            previous = delay
            return delay
        }
    }

    @Test func deterministicStrategiesFollowTheirFormulas() {
        func seconds(_ values: Double...) -> [Duration] { values.map { .nanoseconds(Int64(($0 * 1e9).rounded())) } }
        #expect(delays(Backoff(strategy: .constant, jitter: .none), count: 4) == seconds(1, 1, 1, 1))
        #expect(delays(Backoff(strategy: .linear, jitter: .none), count: 4) == seconds(1, 2, 3, 4))
        #expect(delays(Backoff(strategy: .exponential, jitter: .none), count: 8) == seconds(1, 2, 4, 8, 16, 32, 60, 60))
        #expect(delays(Backoff(strategy: .exponential, base: .milliseconds(100), multiplier: 1.5, cap: .seconds(1), jitter: .none), count: 7)
            == seconds(0.1, 0.15, 0.225, 0.3375, 0.50625, 0.759375, 1))
        #expect(delays(Backoff(strategy: .linear, base: .seconds(25), cap: .seconds(60), jitter: .none), count: 4) == seconds(25, 50, 60, 60))
    }

    /// Every jitter kind draws exactly one unit per delay, from the same
    /// stream a second generator with the same seed reproduces.
    @Test(arguments: [Jitter.full, .equal, .proportional(0.25), .proportional(1)])
    func jitterIsTheFormulaAppliedToTheCappedDelay(jitter: Jitter) {
        let backoff = Backoff(strategy: .exponential, base: .seconds(1), cap: .seconds(10), jitter: jitter)
        var units = SplitMix64(seed: 7)
        let expected = (1...7).map { failures in
            let t = min(10, Double(1 << (failures - 1)))
            return Duration.clampedSeconds(min(10, jitter.apply(to: t, unit: units.nextUnit())))
        }
        #expect(delays(backoff, count: 7, seed: 7) == expected)
    }

    /// Exact sequences for one seed, so a change in how jitter consumes the
    /// generator (which would change every `--seed` schedule) is noticed.
    @Test func seededSequencesArePinned() {
        let ms = { (values: [Int64]) in values.map { Duration.milliseconds($0) } }
        let rounded = { (delays: [Duration]) in delays.map { Duration.milliseconds(Int64(($0.seconds * 1000).rounded())) } }
        #expect(rounded(delays(Backoff(strategy: .exponential, jitter: .full), count: 6)) == ms([742, 320, 1114, 2754, 608, 27783]))
        #expect(rounded(delays(Backoff(strategy: .exponential, jitter: .equal), count: 6)) == ms([871, 1160, 2557, 5377, 8304, 29892]))
        #expect(rounded(delays(Backoff(strategy: .linear, jitter: .proportional(0.2)), count: 6)) == ms([1097, 1728, 2734, 3751, 4076, 6884]))
        #expect(rounded(delays(Backoff(strategy: .constant, jitter: .full), count: 6)) == ms([742, 160, 279, 344, 38, 868]))
        #expect(rounded(delays(Backoff(strategy: .decorrelated, base: .milliseconds(100), cap: .seconds(5), jitter: .none), count: 8)) == ms([248, 203, 242, 315, 132, 357, 312, 770]))
    }

    @Test func decorrelatedStaysBetweenBaseAndThreeTimesThePrevious() {
        let backoff = Backoff(strategy: .decorrelated, base: .milliseconds(100), cap: .seconds(2), jitter: .none)
        for seed in UInt64(0)..<50 {
            var previous = backoff.base
            for delay in delays(backoff, count: 30, seed: seed) {
                #expect(delay >= backoff.base && delay <= min(backoff.cap, previous * 3))
                previous = delay
            }
        }
    }

    /// min(cap, uniform(base, 3·previous)): with previous at the cap, two
    /// draws in three land exactly on it.
    @Test func decorrelatedCapsTheDrawNotTheRange() {
        let backoff = Backoff(strategy: .decorrelated, base: .zero, cap: .seconds(1), jitter: .none)
        var random = SplitMix64(seed: 21)
        let delays = (0..<3000).map { _ in backoff.delay(after: 5, previous: .seconds(1), using: &random) }
        let atCap = delays.filter { $0 == .seconds(1) }.count
        #expect((1800...2200).contains(atCap), "\(atCap) of 3000 at the cap")
    }

    @Test func extremeInputsStayFiniteAndCapped() {
        var random = SplitMix64(seed: 1)
        let huge = DurationText.maximum
        for strategy in Strategy.allCases {
            for jitter in [Jitter.none, .full, .equal, .proportional(1)] {
                let backoff = Backoff(strategy: strategy, base: huge, multiplier: 1000, cap: huge, jitter: jitter)
                for failures in [1, 2, 1_000, 1_000_000_000, Int.max] {
                    let delay = backoff.delay(after: failures, previous: huge, using: &random)
                    #expect(delay >= .zero && delay <= huge)
                    #expect(backoff.bounds(after: failures).upperBound <= huge)
                }
            }
        }
        let exponential = Backoff(strategy: .exponential, base: .nanoseconds(1), multiplier: 1000, cap: .seconds(60), jitter: .none)
        #expect(exponential.delay(after: 1_000_000_000, previous: nil, using: &random) == .seconds(60))
        #expect(exponential.nominal(after: Int.max) == 60)
        let linear = Backoff(strategy: .linear, base: huge, cap: .seconds(60), jitter: .none)
        #expect(linear.delay(after: Int.max, previous: nil, using: &random) == .seconds(60))
    }

    @Test func zeroBaseOrCapMeansNoDelay() {
        var random = SplitMix64(seed: 3)
        for strategy in Strategy.allCases {
            let zeroBase = Backoff(strategy: strategy, base: .zero, jitter: .none)
            let zeroCap = Backoff(strategy: strategy, base: .seconds(1), cap: .zero, jitter: .none)
            for failures in [1, 5, 1_000_000_000] {
                #expect(zeroBase.delay(after: failures, previous: nil, using: &random) == .zero)
                #expect(zeroCap.delay(after: failures, previous: nil, using: &random) == .zero)
                #expect(zeroBase.bounds(after: failures) == Duration.zero...Duration.zero)
            }
        }
    }

    @Test func boundsCoverEveryJitterKind() {
        let exponential = { (jitter: Jitter) in Backoff(strategy: .exponential, base: .seconds(1), cap: .seconds(10), jitter: jitter) }
        #expect(exponential(.none).bounds(after: 3) == Duration.seconds(4)...Duration.seconds(4))
        #expect(exponential(.full).bounds(after: 3) == Duration.zero...Duration.seconds(4))
        #expect(exponential(.equal).bounds(after: 3) == Duration.seconds(2)...Duration.seconds(4))
        #expect(exponential(.proportional(0.5)).bounds(after: 3) == Duration.seconds(2)...Duration.seconds(6))
        #expect(exponential(.proportional(1)).bounds(after: 4) == Duration.zero...Duration.seconds(10))
        let decorrelated = Backoff(strategy: .decorrelated, base: .seconds(1), cap: .seconds(20), jitter: .none)
        #expect(decorrelated.bounds(after: 1) == Duration.seconds(1)...Duration.seconds(3))
        #expect(decorrelated.bounds(after: 2) == Duration.seconds(1)...Duration.seconds(9))
        #expect(decorrelated.bounds(after: 3) == Duration.seconds(1)...Duration.seconds(20))
        #expect(decorrelated.bounds(after: 1_000_000_000) == Duration.seconds(1)...Duration.seconds(20))
    }

    @Test func aCapBelowTheBaseWins() {
        var random = SplitMix64(seed: 9)
        for strategy in Strategy.allCases {
            let backoff = Backoff(strategy: strategy, base: .seconds(5), cap: .seconds(2), jitter: .none)
            #expect(backoff.delay(after: 1, previous: nil, using: &random) == .seconds(2))
        }
    }
}
