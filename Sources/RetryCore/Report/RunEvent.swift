/// Something that happened during a run, for the reporter to show.
public enum RunEvent: Equatable, Sendable {
    case attemptStarted(Attempt)
    /// `next` is the delay before the next attempt; nil when none follows.
    case attemptFailed(Attempt, AttemptOutcome, elapsed: Duration, next: Duration?)
    case succeeded(Attempt, elapsed: Duration)
    case launchFailed(Attempt, LaunchFailure)
    case gaveUp(GiveUp, attempts: Int, status: ExitStatus)
    /// The circuit breaker did not let the run start.
    case breakerOpen(String)
    /// The breaker and quota as they stand, for `--verbose`.
    case memoryState([String])
    /// Something went wrong beside the command (a state file), and the run goes on.
    case warning(String)
    /// A detail for `--verbose`.
    case note(String)
    /// The server asked for a delay with Retry-After; `waiting` is it capped.
    case retryAfter(asked: Duration, waiting: Duration)
    /// `retry` received `signal` and stops, during an attempt or a wait.
    case interrupted(Int32, duringAttempt: Bool)

    /// Which attempt, out of how many (nil: no limit).
    public struct Attempt: Equatable, Sendable {
        public let number: Int
        public let limit: Int?

        public init(_ number: Int, of limit: Int?) {
            self.number = number
            self.limit = limit
        }
    }

    public enum GiveUp: Equatable, Sendable {
        case attemptsExhausted
        case notRetryable(RetryPolicy.Reason)
        /// The `--budget` ran out while an attempt was running; that attempt
        /// was torn down.
        case budgetSpent(Duration)
        /// Waiting `delay` would have passed the `--budget`.
        case budgetWouldPass(Duration, delay: Duration)
        /// The retry quota could not pay for another attempt.
        case quotaEmpty
        /// The server's Retry-After would have passed the `--budget`.
        case retryAfterPastBudget(Duration, asked: Duration)
    }
}
