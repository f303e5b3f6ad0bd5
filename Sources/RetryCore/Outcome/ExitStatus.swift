/// The status `retry` exits with: the command's own, or one of the statuses
/// GNU `timeout` and `env` use for their own failures.
package struct ExitStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: Int32

    package init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    package static let success = ExitStatus(rawValue: 0)
    /// The circuit breaker is open: the command was not run (EX_TEMPFAIL).
    package static let breakerOpen = ExitStatus(rawValue: 75)
    /// An attempt ran out of time (per-attempt timeout or total budget).
    package static let timedOut = ExitStatus(rawValue: 124)
    /// `retry` itself failed: bad option, bad value, missing command, or
    /// what `--help`, `--version` or `--dry-run` print could not be written.
    package static let usage = ExitStatus(rawValue: 125)
    /// The command was found but could not be run.
    package static let cannotInvoke = ExitStatus(rawValue: 126)
    /// The command was not found.
    package static let notFound = ExitStatus(rawValue: 127)

    /// The shell's status for a process killed by `signal`: 128 + N (the
    /// command's own, passed through; retry's goes through `init(for:)`).
    package static func killed(by signal: Int32) -> ExitStatus {
        ExitStatus(rawValue: 128 + signal)
    }

    package var description: String { "\(rawValue)" }

    /// Every way a run ends other than with a status of the command's own.
    package enum Cause: Equatable, Sendable {
        /// A bad option or value, or no command.
        case usage
        /// What `--help`, `--version` or `--dry-run` print could not be
        /// written, or the command's output passing through `retry` could
        /// not be delivered or held (`OutputLoss.failed`).
        case outputLost
        /// `--breaker` or `--quota` names a file that cannot be used.
        case sharedStateRefused
        /// `--stdin replay` could not keep the standard input.
        case inputNotKept
        /// The command could not be started.
        case launch(LaunchFailure)
        /// The circuit breaker is open.
        case breakerOpen
        /// An attempt ran out of time: its `--timeout`, or the `--budget`.
        case timedOut
        /// The command exited 0 but its output failed it (an HTTP error,
        /// a `--retry-if-output` match): never a success.
        case outputFailedSuccess
        /// The reader of `retry`'s stdout left while held output was being
        /// written: the status of the command had it met the broken pipe.
        case readerGone
        /// `retry` received `signal` and ends of it, or a hook was ended by
        /// it: what a shell shows for a death by that signal.
        case signal(Int32)
        /// `--help`, `--version`, `--dry-run` or `--generate` wrote all of
        /// their result.
        case printed
        /// `retry` cannot work under its limits (too few descriptors).
        case unfitToRun
    }

    /// The status for `cause`: the one place retry's own statuses are chosen.
    package init(for cause: Cause) {
        switch cause {
        case .usage, .outputLost, .sharedStateRefused, .inputNotKept, .unfitToRun: self = .usage
        case .launch(.notFound): self = .notFound
        case .launch(.cannotInvoke): self = .cannotInvoke
        case .launch(.setup): self = .usage
        case .breakerOpen: self = .breakerOpen
        case .timedOut: self = .timedOut
        case .outputFailedSuccess: self = ExitStatus(rawValue: 1)
        case .readerGone: self = .killed(by: Signal.pipe)
        case .signal(let signal): self = .killed(by: signal)
        case .printed: self = .success
        }
    }

    /// The table every document repeats, kept here once for `--help`.
    package static let table: [(status: String, meaning: String)] = [
        ("N", "the last attempt's own exit status (1 if its output failed it)"),
        ("75", "the --breaker is open or holds the run past --budget: not run"),
        ("124", "the last attempt timed out, or the --budget ran out during one"),
        ("125", "retry itself failed: bad option or value, missing command"),
        ("126", "the command was found but could not be run (not retried)"),
        ("127", "the command was not found (not retried)"),
        ("128+N", "killed by signal N, the command or retry (130: SIGINT, 143: SIGTERM)"),
    ]
}
