/// Something that happened during a run, for the reporter to show.
public enum RunEvent: Equatable, Sendable {
    case attemptStarted(Attempt)
    /// `next` is the delay before the next attempt; nil when none follows.
    case attemptFailed(Attempt, Termination, elapsed: Duration, next: Duration?)
    case succeeded(Attempt, elapsed: Duration)
    case launchFailed(Attempt, LaunchFailure)
    case gaveUp(GiveUp, attempts: Int, status: ExitStatus)

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
        case .attemptFailed(let attempt, let termination, let elapsed, let next):
            var line = "attempt \(label(attempt)) " + describe(termination)
            if verbosity == .verbose { line += " after \(DurationText.format(elapsed))" }
            if let next { line += "; next in \(DurationText.format(next))" }
            return line
        case .gaveUp(.attemptsExhausted, let attempts, let status):
            return "giving up after \(attempts) attempt\(attempts == 1 ? "" : "s"); exit status \(status)"
        case .gaveUp(.notRetryable(let reason), _, let status):
            return "not retrying: " + explain(reason, status)
        }
    }

    private static func label(_ attempt: RunEvent.Attempt) -> String {
        attempt.limit.map { "\(attempt.number)/\($0)" } ?? "\(attempt.number)"
    }

    private static func describe(_ termination: Termination) -> String {
        switch termination {
        case .exited(let code): "failed with exit status \(code)"
        case .signaled(let signal): "was killed by \(SignalName.of(signal)) (exit status \(128 + signal))"
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
