import Testing
@testable import RetryCore

@Suite struct CircuitBreakerTests {
    let breaker = CircuitBreaker(threshold: 3, cooldown: .seconds(30))
    let me = BreakerState.Lease(pid: 10, processStart: 1)
    let other = BreakerState.Lease(pid: 11, processStart: 1)

    func failures(_ count: Int, at now: Double, into state: inout BreakerState) {
        for _ in 0..<count { breaker.record(&state, succeeded: false, interrupted: false, trial: false, now: now) }
    }

    @Test func thresholdFailuresInARowOpenIt() {
        var state = BreakerState()
        failures(2, at: 100, into: &state)
        #expect(state.phase == .closed && state.consecutiveFailures == 2)
        breaker.record(&state, succeeded: true, interrupted: false, trial: false, now: 100)
        #expect(state.consecutiveFailures == 0, "a success resets the count")
        failures(3, at: 200, into: &state)
        #expect(state.phase == .open && state.retryAt == 230)
        #expect(state.runs == 6 && state.failedRuns == 5)
    }

    @Test func anOpenBreakerRejectsUntilTheCooldownEnds() {
        var state = BreakerState()
        failures(3, at: 200, into: &state)
        #expect(breaker.admit(&state, now: 229.9, as: me, holderAlive: { _ in true }) == .rejected(retryAt: 230))
        #expect(breaker.admit(&state, now: 230, as: me, holderAlive: { _ in true }) == .trial)
        #expect(state.phase == .halfOpen && state.trial == me)
    }

    @Test func onlyOneRunMakesTheTrial() {
        var state = BreakerState()
        failures(3, at: 0, into: &state)
        #expect(breaker.admit(&state, now: 31, as: me, holderAlive: { _ in true }) == .trial)
        #expect(breaker.admit(&state, now: 32, as: other, holderAlive: { _ in true }) == .rejected(retryAt: 0))
        // A trial whose process died frees its lease.
        #expect(breaker.admit(&state, now: 33, as: other, holderAlive: { _ in false }) == .trial)
        #expect(state.trial == other)
    }

    @Test func aSuccessfulTrialClosesIt() {
        var state = BreakerState()
        failures(3, at: 0, into: &state)
        _ = breaker.admit(&state, now: 31, as: me, holderAlive: { _ in true })
        breaker.record(&state, succeeded: true, interrupted: false, trial: true, now: 32)
        #expect(state.phase == .closed && state.consecutiveFailures == 0 && state.trial == nil)
        #expect(breaker.admit(&state, now: 33, as: other, holderAlive: { _ in true }) == .allowed)
    }

    @Test func aFailedTrialReopensItForAFreshCooldown() {
        var state = BreakerState()
        failures(3, at: 0, into: &state)
        _ = breaker.admit(&state, now: 31, as: me, holderAlive: { _ in true })
        breaker.record(&state, succeeded: false, interrupted: false, trial: true, now: 40)
        #expect(state.phase == .open && state.retryAt == 70 && state.trial == nil)
    }

    @Test func anInterruptedTrialOnlyFreesItsLease() {
        var state = BreakerState()
        failures(3, at: 0, into: &state)
        _ = breaker.admit(&state, now: 31, as: me, holderAlive: { _ in true })
        let before = state
        breaker.record(&state, succeeded: false, interrupted: true, trial: true, now: 40)
        #expect(state.phase == .halfOpen && state.trial == nil)
        #expect(state.runs == before.runs && state.consecutiveFailures == before.consecutiveFailures)
        #expect(breaker.admit(&state, now: 41, as: other, holderAlive: { _ in true }) == .trial)
    }
}

@Suite struct RetryQuotaTests {
    let quota = RetryQuota(size: 12)

    @Test func aRetryCostsFiveOrTenAfterATimeout() {
        var state = QuotaState(balance: 12)
        #expect(quota.take(quota.cost(afterTimeout: false), from: &state) && state.balance == 7)
        #expect(!quota.take(quota.cost(afterTimeout: true), from: &state), "7 tokens cannot pay 10")
        #expect(state.balance == 7 && state.retriesRefused == 1)
        #expect(quota.take(5, from: &state) && state.balance == 2)
        #expect(!quota.take(5, from: &state))
        #expect(state.retriesTaken == 2 && state.retriesRefused == 2)
    }

    @Test func successesRefundUpToTheSize() {
        var state = QuotaState(balance: 0)
        quota.refund(&state, lastRetryCost: nil)
        #expect(state.balance == 1, "a first-attempt success refunds 1")
        quota.refund(&state, lastRetryCost: 10)
        #expect(state.balance == 11, "a success after retries refunds the last cost")
        quota.refund(&state, lastRetryCost: 5)
        #expect(state.balance == 12)
        #expect(state.tokensRefunded == 12, "1 + 10 + 1: the refund stops at the size")
    }

    @Test func aSmallerSizeThanTheFileHoldsCapsTheBalance() {
        var state = QuotaState(balance: 500)
        #expect(quota.take(5, from: &state) && state.balance == 7)
    }
}
