/// Something that happened during a run, for the reporter to show.
public enum RunEvent: Equatable, Sendable {
    case attemptStarted(Attempt)
    /// `next` is the delay before the next attempt; nil when none follows.
    case attemptFailed(Attempt, AttemptOutcome, elapsed: Duration, next: Duration?)
    case succeeded(Attempt, elapsed: Duration)
    case launchFailed(Attempt, LaunchFailure)
    case gaveUp(GiveUp, attempts: Int, status: ExitStatus)
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
    }
}

/// Renders events as the lines people read on stderr.
public struct TextReporter {
    public let verbosity: Verbosity
    public let write: (String) -> Void

    public init(verbosity: Verbosity, write: @escaping (String) -> Void) {
        self.verbosity = verbosity
        self.write = write
    }

    public func report(_ event: RunEvent) {
        guard let line = Self.line(for: event, verbosity: verbosity) else { return }
        write("retry: " + line + "\n")
    }

    /// The line for `event` without the `retry: ` prefix, or nil when this
    /// verbosity shows none.
    public static func line(for event: RunEvent, verbosity: Verbosity) -> String? {
        switch event {
        case .launchFailed(_, let failure):
            return failure.message
        case _ where verbosity == .quiet:
            return nil
        case .attemptStarted(let attempt):
            return verbosity == .verbose ? "attempt \(label(attempt)) starting" : nil
        case .succeeded(let attempt, let elapsed):
            return verbosity == .verbose ? "attempt \(label(attempt)) succeeded after \(DurationText.format(elapsed))" : nil
        case .attemptFailed(let attempt, let outcome, let elapsed, let next):
            var line = "attempt \(label(attempt)) " + describe(outcome, elapsed: elapsed)
            if verbosity == .verbose, case .terminated = outcome { line += " after \(DurationText.format(elapsed))" }
            if let next { line += "; next in \(DurationText.format(next))" }
            return line
        case .gaveUp(.attemptsExhausted, let attempts, let status):
            return "giving up after \(attempts) attempt\(attempts == 1 ? "" : "s"); exit status \(status)"
        case .gaveUp(.notRetryable(let reason), _, let status):
            return "not retrying: " + explain(reason, status)
        case .gaveUp(.budgetSpent(let budget), let attempts, let status):
            return "giving up: the --budget of \(DurationText.format(budget)) ran out during attempt \(attempts); exit status \(status)"
        case .gaveUp(.budgetWouldPass(let budget, let delay), _, let status):
            return "giving up: waiting \(DurationText.format(delay)) would pass the --budget of \(DurationText.format(budget)); exit status \(status)"
        case .interrupted(let signal, let duringAttempt):
            return "got \(SignalName.of(signal)); " + (duringAttempt ? "stopped the command, no further attempts" : "no further attempts")
        }
    }

    private static func label(_ attempt: RunEvent.Attempt) -> String {
        attempt.limit.map { "\(attempt.number)/\($0)" } ?? "\(attempt.number)"
    }

    private static func describe(_ outcome: AttemptOutcome, elapsed: Duration) -> String {
        switch outcome {
        case .terminated(.exited(let code)): "failed with exit status \(code)"
        case .terminated(.signaled(let signal)): "was killed by \(SignalName.of(signal)) (exit status \(128 + signal))"
        case .timedOut(let limit): "timed out at its --timeout of \(DurationText.format(limit)) (exit status 124)"
        }
    }

    private static func explain(_ reason: RetryPolicy.Reason, _ status: ExitStatus) -> String {
        switch reason {
        case .stopOn: "exit status \(status) is in --stop-on"
        case .notInRetryOn: "exit status \(status) is not in --retry-on"
        case .cannotRun: "exit status \(status) means the command could not be found or run"
        }
    }
}
