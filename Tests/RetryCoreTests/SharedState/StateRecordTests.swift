import Testing
@testable import RetryCore

@Suite struct StateRecordTests {
    @Test func recordsRoundTripThroughText() throws {
        var breaker = BreakerState()
        breaker.phase = .halfOpen
        breaker.consecutiveFailures = 4
        breaker.retryAt = 1_795_489_498.703
        breaker.trial = .init(pid: 42, processStart: 99)
        breaker.runs = 9
        breaker.failedRuns = 6
        #expect(try BreakerState.decode(breaker.encoded()) == breaker)
        #expect(breaker.encoded().hasPrefix("retry-breaker 1\nphase half-open\n"))
        var quota = QuotaState(balance: 495)
        quota.retriesTaken = 3
        #expect(try QuotaState.decode(quota.encoded()) == quota)
    }

    @Test(arguments: [
        "", "garbage", "retry-breaker 2\nphase closed", "retry-quota 1\nbalance 5",
        "retry-breaker 1\nphase ajar\nconsecutive-failures 0\nretry-at 0\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphase closed\nconsecutive-failures -1\nretry-at 0\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphase closed\nconsecutive-failures 0\nretry-at nan\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphase closed\nconsecutive-failures 0",
        // Found by fuzzing: counts that overflow when counted on, and times that overflow when written.
        "retry-breaker 1\nphase closed\nconsecutive-failures 0\nretry-at 0\ntrial-pid 0\ntrial-process-start 0\nruns 9223372036854775807\nfailed-runs 0",
        "retry-breaker 1\nphase open\nconsecutive-failures 0\nretry-at -1e300\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphaseclosed",
    ])
    func corruptRecordsAreRejected(text: String) {
        #expect(throws: InvalidValue.self) { try BreakerState.decode(text) }
    }

    @Test func aBreakerFileWrittenBeforeTheSharedRetryAfterStillReads() throws {
        let old = "retry-breaker 1\nphase open\nconsecutive-failures 5\nretry-at 1795579925.120\ntrial-pid 0\ntrial-process-start 0\nruns 8\nfailed-runs 5\n"
        let state = try BreakerState.decode(old)
        #expect(state.phase == .open && state.retryAt == 1_795_579_925.12 && state.retryAfterUntil == 0 && state.runs == 8)
        var shared = state
        shared.retryAfterUntil = 1_795_579_930.5
        #expect(shared.encoded().contains("\nretry-after-until 1795579930.500\n"))
        #expect(try BreakerState.decode(shared.encoded()) == shared)
        #expect(throws: InvalidValue.self) { try BreakerState.decode(old + "retry-after-until -5\n") }
    }

    @Test func quotaCountsThatWouldOverflowAreCorrupt() {
        #expect(throws: InvalidValue.self) {
            try QuotaState.decode("retry-quota 1\nbalance 9223372036854775807\nretries-taken 0\nretries-refused 0\ntokens-refunded 0")
        }
    }
}
