import Testing
@testable import RetryCore

/// The learned rate (`--pace` without `--rate`): AIMD in fake time.
@Suite struct LearnedRateTests {
    let learning = Pacer()

    @Test func noLimitUntilTheFirstThrottleThenOneSlotPerRCut() {
        var state = PaceState()
        learning.succeeded(&state)
        #expect(state.learnedRate == 0)
        learning.throttled(&state, now: 100, delay: 2)
        #expect(state.learnedRate == 0.5 * 0.7)
        #expect(state.rateCutAt == 100 && state.hold == 102)
    }

    @Test func aThrottleCutsByThreeTenthsAtMostOncePerR() {
        var state = PaceState()
        state.learnedRate = 10
        learning.throttled(&state, now: 100, delay: 5)
        #expect(state.learnedRate == 7)
        // The same overload's other 429s, within R of the cut: no cut.
        learning.throttled(&state, now: 104.9, delay: 5)
        #expect(state.learnedRate == 7 && state.rateCutAt == 100)
        learning.throttled(&state, now: 105, delay: 5)
        #expect(abs(state.learnedRate - 4.9) < 1e-9 && state.rateCutAt == 105)
    }

    @Test func successesAddBackAboutOneSlotPerSecondEachSecond() {
        var state = PaceState()
        state.learnedRate = 10
        // One second of successes at about 10 a second.
        for _ in 0..<10 { learning.succeeded(&state) }
        #expect(state.learnedRate > 10.9 && state.learnedRate < 11.0)
    }

    @Test func theRateStaysBetweenTheFloorAndTheCeiling() {
        var state = PaceState()
        learning.throttled(&state, now: 0, delay: 3600)
        #expect(state.learnedRate == LearnedRate.floor)
        for step in 1...40 { learning.throttled(&state, now: Double(step) * 3600, delay: 1) }
        #expect(state.learnedRate == LearnedRate.floor)
        // From the floor a success at most doubles the rate.
        learning.succeeded(&state)
        #expect(state.learnedRate == 2 * LearnedRate.floor)
        state.learnedRate = 999.9999
        learning.succeeded(&state)
        #expect(state.learnedRate == LearnedRate.ceiling)
    }

    @Test func withARateGivenNothingIsLearned() {
        let given = Pacer(rate: PaceRate(count: 5, period: 1))
        var state = PaceState()
        given.throttled(&state, now: 100, delay: 2)
        given.succeeded(&state)
        #expect(state.learnedRate == 0 && state.rateCutAt == 0 && state.hold == 102)
    }
}
