import Testing
@testable import RetryCore

@Suite struct HookContextTests {
    @Test func theVariablesReplaceTheCommandsAndStaleOnesGo() {
        let context = HookContext(attempt: 2, maxAttempts: nil, outcome: .flagged(.exited(0), .http(503)), nextDelay: .microseconds(1500),
                                  elapsed: .milliseconds(2500), idempotencyKey: "k")
        let base = ["PATH": "/bin", "RETRY_ATTEMPT": "9", "RETRY_NEXT_DELAY_MS": "1", "RETRY_HTTP_STATUS": "200"]
        #expect(context.environment(adding: base) == [
            "PATH": "/bin", "RETRY_ATTEMPT": "2", "RETRY_MAX_ATTEMPTS": "0", "RETRY_EXIT_STATUS": "1", "RETRY_REASON": "http",
            "RETRY_HTTP_STATUS": "503", "RETRY_NEXT_DELAY_MS": "1", "RETRY_ELAPSED_MS": "2500", "RETRY_IDEMPOTENCY_KEY": "k",
        ])
        var later = context
        later.httpStatus = nil
        later.nextDelay = nil
        let environment = later.environment(adding: base)
        #expect(environment["RETRY_HTTP_STATUS"] == nil && environment["RETRY_NEXT_DELAY_MS"] == nil)
    }

    @Test(arguments: [
        (AttemptOutcome.terminated(.exited(3)), "exit", 3), (.terminated(.signaled(9)), "signal", 137), (.timedOut(limit: .seconds(1)), "timeout", 124),
        (.flagged(.exited(0), .retryPattern), "output", 1), (.flagged(.exited(4), .stopPattern), "output", 4),
    ] as [(AttemptOutcome, String, Int32)])
    func eachOutcomeHasItsReasonAndStatus(outcome: AttemptOutcome, reason: String, status: Int32) {
        let context = HookContext(attempt: 1, maxAttempts: 5, outcome: outcome, elapsed: .zero, idempotencyKey: "k")
        #expect(context.reason.rawValue == reason)
        #expect(context.status.rawValue == status)
    }

    @Test func theLimitThatEndedTheRunIsItsReason() {
        let outcome = AttemptOutcome.terminated(.exited(1))
        #expect(HookContext.Reason(.budgetWouldPass(.seconds(1), delay: .seconds(2)), after: outcome) == .budget)
        #expect(HookContext.Reason(.budgetSpentInHook(.seconds(1)), after: outcome) == .budget)
        #expect(HookContext.Reason(.quotaEmpty, after: outcome) == .quota)
        #expect(HookContext.Reason(.attemptsExhausted, after: .timedOut(limit: .seconds(1))) == .timeout)
        #expect(HookContext.Reason(.notRetryable(.stopOn), after: outcome) == .exit)
    }
}
