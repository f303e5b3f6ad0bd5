/// What a hook is told about the run, in `RETRY_*` variables: built here,
/// without side effects, so the names and values are tested without a shell.
package struct HookContext: Equatable, Sendable {
    /// Why the attempt failed, or why the run ended: `RETRY_REASON`.
    package enum Reason: String, Equatable, Sendable {
        case exit, timeout, signal, http, output, budget, quota, breaker

        /// Why `outcome` was a failure.
        package init(_ outcome: AttemptOutcome) {
            switch outcome {
            case .terminated(.exited): self = .exit
            case .terminated(.signaled): self = .signal
            case .timedOut: self = .timeout
            case .flagged(_, .http): self = .http
            case .flagged(_, .retryPattern), .flagged(_, .stopPattern): self = .output
            }
        }

        /// Why a run that gave up for `giveUp` after `outcome` ended: the
        /// limit that stopped it, or else what was wrong with the attempt.
        package init(_ giveUp: RunEvent.GiveUp, after outcome: AttemptOutcome) {
            switch giveUp {
            case .budgetSpent, .budgetWouldPass, .retryAfterPastBudget, .budgetSpentInHook, .paceSlotPastBudget: self = .budget
            case .quotaEmpty: self = .quota
            case .attemptsExhausted, .notRetryable: self.init(outcome)
            case .outputLost: self = .output
            }
        }
    }

    /// The attempt that just ended, from 1; 0 when none ran (the breaker).
    package var attempt: Int
    package var maxAttempts: Int?
    /// That attempt's status: 124 for a timeout, 128+N for signal N.
    package var status: ExitStatus
    package var reason: Reason
    /// The status of the HTTP response that decided, if one did.
    package var httpStatus: Int?
    /// The delay before the next attempt, for `--before-retry`.
    package var nextDelay: Duration?
    /// Since the first attempt started.
    package var elapsed: Duration
    package var idempotencyKey: String

    package init(attempt: Int, maxAttempts: Int?, status: ExitStatus, reason: Reason, httpStatus: Int? = nil,
                nextDelay: Duration? = nil, elapsed: Duration, idempotencyKey: String) {
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.status = status
        self.reason = reason
        self.httpStatus = httpStatus
        self.nextDelay = nextDelay
        self.elapsed = elapsed
        self.idempotencyKey = idempotencyKey
    }

    /// The context of the attempt that ended with `outcome`.
    package init(attempt: Int, maxAttempts: Int?, outcome: AttemptOutcome, reason: Reason? = nil,
                nextDelay: Duration? = nil, elapsed: Duration, idempotencyKey: String) {
        var httpStatus: Int?
        if case .flagged(_, .http(let code)) = outcome { httpStatus = code }
        self.init(attempt: attempt, maxAttempts: maxAttempts, status: outcome.status, reason: reason ?? Reason(outcome),
                  httpStatus: httpStatus, nextDelay: nextDelay, elapsed: elapsed, idempotencyKey: idempotencyKey)
    }

    /// `base` (the command's environment) with the hook's variables, which
    /// replace any of the same name; a variable that does not apply is
    /// removed, so that a hook never sees the attempt's stale value.
    package func environment(adding base: [String: String]) -> [String: String] {
        var environment = base
        environment["RETRY_ATTEMPT"] = String(attempt)
        environment["RETRY_MAX_ATTEMPTS"] = String(maxAttempts ?? 0)
        environment["RETRY_EXIT_STATUS"] = String(status.rawValue)
        environment["RETRY_REASON"] = reason.rawValue
        environment["RETRY_HTTP_STATUS"] = httpStatus.map { String($0) }
        environment["RETRY_NEXT_DELAY_MS"] = nextDelay.map { String(Self.milliseconds($0)) }
        environment["RETRY_ELAPSED_MS"] = String(Self.milliseconds(elapsed))
        environment["RETRY_IDEMPOTENCY_KEY"] = idempotencyKey
        return environment
    }

    /// Whole milliseconds, rounded down, never negative.
    static func milliseconds(_ duration: Duration) -> Int64 {
        max(0, duration.wholeMilliseconds)
    }
}
