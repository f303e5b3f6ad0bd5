import Testing
@testable import RetryCore

/// The retry quota refills by time as well as by successes: size / 600
/// tokens a second, the fraction not yet earned kept.
@Suite struct QuotaRefillTests {
    let quota = RetryQuota(size: 600)

    @Test func anEmptyBucketEarnsATokenASecondPerSixHundred() {
        var state = QuotaState(balance: 0)
        state.refilledAt = 1000
        quota.refill(&state, now: 1010.5)
        #expect(state.balance == 10 && state.refilledAt == 1010, "the half token not yet earned is kept")
        quota.refill(&state, now: 1011)
        #expect(state.balance == 11 && state.refilledAt == 1011)
    }

    @Test func aBucketFillsToItsSizeAndNoFurther() {
        var state = QuotaState(balance: 590)
        state.refilledAt = 1000
        quota.refill(&state, now: 2000)
        #expect(state.balance == 600 && state.refilledAt == 2000)
        // Full: time earns nothing to keep for later.
        quota.refill(&state, now: 3000)
        #expect(state.balance == 600 && state.refilledAt == 3000)
    }

    @Test func aFirstUseOrAClockThatWentBackEarnsNothing() {
        var fresh = QuotaState(balance: 0)
        quota.refill(&fresh, now: 5000)
        #expect(fresh.balance == 0 && fresh.refilledAt == 5000)
        var back = QuotaState(balance: 0)
        back.refilledAt = 5000
        quota.refill(&back, now: 4000)
        #expect(back.balance == 0 && back.refilledAt == 5000)
    }

    @Test func theRecordKeepsTheRefillTimeAndReadsOldFiles() throws {
        var state = QuotaState(balance: 3)
        state.refilledAt = 1_795_579_925.25
        #expect(try QuotaState.decode(state.encoded()) == state)
        let old = try QuotaState.decode("retry-quota 1\nbalance 3\nretries-taken 0\nretries-refused 0\ntokens-refunded 0\n")
        #expect(old.refilledAt == 0)
    }
}
