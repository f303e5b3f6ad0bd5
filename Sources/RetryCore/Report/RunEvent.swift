/// Something that happened during a run, for the reporter to show.
package enum RunEvent: Equatable, Sendable {
    case attemptStarted(Attempt)
    /// `next` is the delay before the next attempt, nil when none follows;
    /// `because` says where that delay came from.
    case attemptFailed(Attempt, AttemptOutcome, elapsed: Duration, next: Duration?, because: SleepReason = .backoff)
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
    /// A hint that an option found nothing to act on, with the fix; shown
    /// unless `--quiet`.
    case advice(String)
    /// The server asked for a delay with Retry-After; `waiting` is it capped.
    case retryAfter(asked: Duration, waiting: Duration)
    /// `retry` received `signal` and stops, during an attempt or a wait.
    case interrupted(Int32, duringAttempt: Bool)
    /// `retry` received `signal` while a hook ran; the hook was stopped too.
    case interruptedDuringHook(Int32, Hook)
    /// The first attempt waits `delay` (`--stagger`).
    case stagger(Duration)
    /// Attempt `attempt` waits `delay` for its slot of the `--pace` in
    /// `store`; `slot` is that moment by the store's clock (epoch seconds).
    case paceWait(attempt: Int, delay: Duration, slot: Double, store: String)
    /// A hook starts, after attempt `attempt` (0: none ran).
    case hookStarted(Hook, attempt: Int)
    /// A hook has ended; the run goes on whatever it did.
    case hookEnded(Hook, attempt: Int, HookEnding, elapsed: Duration)

    /// Which attempt, out of how many (nil: no limit).
    package struct Attempt: Equatable, Sendable {
        package let number: Int
        package let limit: Int?

        package init(_ number: Int, of limit: Int?) {
            self.number = number
            self.limit = limit
        }
    }

    /// The commands `retry` runs around the attempts.
    package enum Hook: String, Equatable, Sendable {
        case beforeRetry = "before-retry"
        case onGiveUp = "on-give-up"

        /// How the option is written: `--before-retry`.
        package var option: String { "--" + rawValue }
    }

    /// How a hook ended.
    package enum HookEnding: Equatable, Sendable {
        /// It exited or was killed (`.terminated`), or was torn down at its
        /// `--hook-timeout` (`.timedOut`).
        case finished(AttemptOutcome)
        /// The `--budget` ran out while it ran; it was torn down.
        case budgetSpent
        /// `retry` received this signal; it was forwarded to the hook.
        case interrupted(Int32)
        case cannotStart(LaunchFailure)

        /// The status the hook ended with, as a shell would give it.
        package var status: ExitStatus {
            switch self {
            case .finished(let outcome): outcome.status
            case .budgetSpent: ExitStatus(for: .timedOut)
            case .interrupted(let signal): ExitStatus(for: .signal(signal))
            case .cannotStart(let failure): failure.status
            }
        }
    }

    package enum GiveUp: Equatable, Sendable {
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
        /// The `--budget` ran out while the `--before-retry` hook ran; the
        /// hook was torn down and the last attempt's status is kept.
        case budgetSpentInHook(Duration)
        /// The next free slot of the `--pace` is `wait` away, past the `--budget`.
        case paceSlotPastBudget(Duration, wait: Duration)
        /// Output could not be delivered or held (a full disk, a closed or
        /// broken stdout, a reader that stalled, the --hold-limit).
        case outputLost(OutputLoss)
    }
}
