/// The decision after one attempt, made without side effects: another
/// attempt after a delay, or the end of the run with a status and a reason.
/// The runner carries it out (pays the quota, sleeps, reports).
package struct RetryDecision: Equatable, Sendable {
    package enum Next: Equatable, Sendable {
        /// Run again after `delay`, if the quota pays for it; `reason` says
        /// where the delay came from.
        case retry(after: Duration, because: SleepReason = .backoff)
        /// The command succeeded: exit with `status`.
        case succeed(ExitStatus)
        /// No further attempt: exit with `status`, for `reason`.
        case stop(ExitStatus, RunEvent.GiveUp)
    }

    package let next: Next
    /// What the decision saw that the user may want to know (Retry-After).
    package let notes: [RunEvent]

    /// What an attempt that ended with `outcome` leads to.
    ///
    /// - Parameters:
    ///   - number: the attempt that just ended, from 1.
    ///   - outcome: how it ended, its output already taken into account.
    ///   - retryAfter: the last response's Retry-After value, if any.
    ///   - previousDelay: the delay drawn before this attempt (decorrelated
    ///     backoff grows from it); updated with the delay drawn now.
    ///   - now: the monotonic time; `budgetEnd` on the same clock.
    ///   - wallNow: seconds since the epoch, for Retry-After dates.
    package static func after(attempt number: Int, _ outcome: AttemptOutcome, retryAfter: String?,
                             configuration: Configuration, previousDelay: inout Duration?,
                             now: Duration, budgetEnd: Duration?, wallNow: Double,
                             random: inout some RandomNumberGenerator) -> RetryDecision {
        let status = outcome.status
        switch configuration.policy.verdict(for: outcome) {
        case .success:
            return RetryDecision(next: .succeed(status), notes: [])
        case .permanent(let reason):
            return RetryDecision(next: .stop(status, .notRetryable(reason)), notes: [])
        case .retry:
            break
        }
        if let limit = configuration.limits.maxAttempts, number >= limit {
            return RetryDecision(next: .stop(status, .attemptsExhausted), notes: [])
        }
        let budget = configuration.limits.budget ?? .zero
        var delay = configuration.backoff.delay(after: number, previous: previousDelay, using: &random)
        previousDelay = delay
        var reason = SleepReason.backoff
        var notes: [RunEvent] = []
        if case .flagged(_, .http) = outcome, let value = retryAfter {
            if let asked = RetryAfter.delay(value, now: wallNow) {
                let ceiling = configuration.policy.maxRetryAfter
                // The floor alone decides whether the budget allows a retry;
                // the spread is then drawn within what the budget leaves.
                if let budgetEnd, now + min(asked, ceiling) >= budgetEnd {
                    notes.append(.retryAfter(asked: asked, waiting: min(asked, ceiling)))
                    return RetryDecision(next: .stop(status, .retryAfterPastBudget(budget, asked: asked)), notes: notes)
                }
                // With a --pace the store's hold spreads the runs (one slot
                // apart from its end): no spread of its own on top.
                let unit = random.nextUnit()
                delay = RetryAfterWait.delay(asked: asked, ceiling: ceiling, room: budgetEnd.map { $0 - now },
                                             backoff: .clampedSeconds(configuration.backoff.nominal(after: number)),
                                             unit: configuration.sharedState.pacePath == nil ? unit : 0)
                reason = .retryAfter
                notes.append(.retryAfter(asked: asked, waiting: delay))
            } else {
                notes.append(.note("ignoring the malformed Retry-After '\(value)'"))
            }
        }
        if let budgetEnd, now + delay >= budgetEnd {
            return RetryDecision(next: .stop(status, .budgetWouldPass(budget, delay: delay)), notes: notes)
        }
        return RetryDecision(next: .retry(after: delay, because: reason), notes: notes)
    }
}
