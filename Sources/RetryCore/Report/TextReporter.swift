/// Renders events as the lines people read on stderr: in colour at a
/// terminal, and with GitHub Actions' groups and annotations in a workflow.
package final class TextReporter {
    /// How lines are dressed, decided once from the environment.
    package struct Style: Equatable, Sendable {
        package var colour = false
        package var githubActions = false

        package init(colour: Bool = false, githubActions: Bool = false) {
            self.colour = colour
            self.githubActions = githubActions
        }

        /// Colour only at a terminal, unless `NO_COLOR` is set to anything
        /// (no-color.org) or the terminal is dumb; GitHub's commands only
        /// where its runner sets `GITHUB_ACTIONS=true`.
        package static func detect(environment: [String: String], standardErrorIsTerminal: Bool) -> Style {
            let noColour = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
            return Style(colour: standardErrorIsTerminal && !noColour, githubActions: environment["GITHUB_ACTIONS"] == "true")
        }
    }

    package let verbosity: Verbosity
    package let style: Style
    package let write: (String) -> Void
    /// Whether a `::group::` is open, to close it when the attempt ends.
    private var groupOpen = false

    package init(verbosity: Verbosity, style: Style = Style(), write: @escaping (String) -> Void) {
        self.verbosity = verbosity
        self.style = style
        self.write = write
    }

    package func report(_ event: RunEvent) {
        // The groups stay with --quiet: a workflow's log shows them as folds,
        // not as lines, and they keep each attempt's output apart.
        if style.githubActions { openOrCloseGroup(for: event) }
        guard let line = Self.line(for: event, verbosity: verbosity) else { return }
        write("retry: " + paint(line, for: event) + "\n")
        if style.githubActions, case .attemptFailed = event {
            write("::warning title=retry::" + Self.escapedForWorkflow(line) + "\n")
        }
    }

    /// Each attempt is folded in a group, so a long log shows one line per attempt.
    private func openOrCloseGroup(for event: RunEvent) {
        if groupOpen {
            write("::endgroup::\n")
            groupOpen = false
        }
        if case .attemptStarted(let attempt) = event {
            write("::group::retry: attempt \(Self.label(attempt))\n")
            groupOpen = true
        }
    }

    private func paint(_ line: String, for event: RunEvent) -> String {
        guard style.colour else { return line }
        let colour: String
        switch event {
        case .attemptFailed, .hookEnded: colour = "33"
        case .gaveUp, .launchFailed, .breakerOpen, .interrupted, .interruptedDuringHook, .warning: colour = "31"
        case .succeeded: colour = "32"
        case .attemptStarted, .memoryState, .note, .retryAfter, .stagger, .paceWait, .hookStarted, .advice: return line
        }
        return "\u{1B}[\(colour)m" + line + "\u{1B}[0m"
    }

    /// Workflow command data escapes `%`, CR and LF.
    static func escapedForWorkflow(_ text: String) -> String {
        text.replacing(scalar: "%", with: "%25").replacing(scalar: "\r", with: "%0D").replacing(scalar: "\n", with: "%0A")
    }

    /// The line for `event` without the `retry: ` prefix, or nil when this
    /// verbosity shows none.
    package static func line(for event: RunEvent, verbosity: Verbosity) -> String? {
        // Even with --quiet: the status alone does not tell why the run
        // stopped before its attempts were used up.
        if case .gaveUp(let reason, let attempts, let status) = event, let line = early(reason, attempts: attempts, status: status) {
            return line
        }
        switch event {
        case .launchFailed(_, let failure):
            return failure.message
        case .breakerOpen(let message), .warning(let message):
            return message
        // Even with --quiet, every run that ends without success gets its
        // one line (cron mails it): the command's own output may say nothing.
        case .gaveUp(.attemptsExhausted, let attempts, let status):
            return "giving up after \(attempts) attempt\(attempts == 1 ? "" : "s"); exit status \(status)"
        case .gaveUp(.notRetryable(let reason), _, let status):
            return "not retrying: " + explain(reason, status)
        case .gaveUp:
            return nil  // the early stops, written above
        case .interrupted(let signal, let duringAttempt):
            return "got \(SignalName.of(signal)); " + (duringAttempt ? "stopped the command, no further attempts" : "no further attempts")
        case .interruptedDuringHook(let signal, let hook):
            return "got \(SignalName.of(signal)); stopped the \(hook.option) hook, no further attempts"
        case _ where verbosity == .quiet:
            return nil
        case .attemptStarted(let attempt):
            return verbosity == .verbose ? "attempt \(label(attempt)) starting" : nil
        case .succeeded(let attempt, let elapsed):
            return verbosity == .verbose ? "attempt \(label(attempt)) succeeded after \(DurationText.format(elapsed))" : nil
        case .attemptFailed(let attempt, let outcome, let elapsed, let next, let reason):
            var line = "attempt \(label(attempt)) " + describe(outcome, elapsed: elapsed)
            if verbosity == .verbose, outcome.endedByItself { line += " after \(DurationText.format(elapsed))" }
            if let next { line += "; next in \(DurationText.format(next))" + source(of: reason) }
            return line
        case .retryAfter(let asked, let waiting):
            let line = "the server asked to wait \(DurationText.format(asked)) (Retry-After)"
            if waiting < asked { return line + "; waiting the --max-retry-after of \(DurationText.format(waiting))" }
            if waiting > asked { return line + "; waiting \(DurationText.format(waiting)): that, plus a random spread so that runs turned away together come back apart" }
            return line
        case .note(let message):
            return verbosity == .verbose ? message : nil
        case .advice(let message):
            return message
        case .memoryState(let lines):
            return verbosity == .verbose ? lines.joined(separator: "\nretry: ") : nil
        case .stagger(let delay):
            return verbosity == .verbose ? "waiting \(DurationText.format(delay)) (--stagger) before the first attempt" : nil
        case .paceWait(let attempt, let delay, _, let store):
            return verbosity == .verbose ? "waiting \(DurationText.format(delay)) for the slot of attempt \(attempt) in the --pace \(store)" : nil
        case .hookStarted(let hook, _):
            return verbosity == .verbose ? "running the \(hook.option) hook" : nil
        case .hookEnded(let hook, _, let ending, let elapsed):
            return hookLine(hook, ending, elapsed: elapsed, verbosity: verbosity)
        }
    }

    /// Where a delay came from, when not from the backoff.
    private static func source(of reason: SleepReason) -> String {
        switch reason {
        case .backoff: ""
        case .retryAfter: " (Retry-After)"
        case .sharedRetryAfter: " (a Retry-After shared through the breaker)"
        }
    }

    /// One line for a hook that failed; for one that succeeded, only with
    /// `--verbose`. A hook's failure changes nothing, which the line says.
    private static func hookLine(_ hook: RunEvent.Hook, _ ending: RunEvent.HookEnding, elapsed: Duration,
                                 verbosity: Verbosity) -> String? {
        let name = "the \(hook.option) hook"
        switch ending {
        case .finished(.terminated(.exited(0))):
            return verbosity == .verbose ? "\(name) succeeded after \(DurationText.format(elapsed))" : nil
        case .finished(.timedOut(let limit)):
            return "\(name) timed out at its --hook-timeout of \(DurationText.format(limit)) (exit status 124, ignored)"
        case .finished(.terminated(.signaled(let signal))):
            return "\(name) was killed by \(SignalName.of(signal)) (exit status \(128 + signal), ignored)"
        case .finished(let outcome):
            return "\(name) failed with exit status \(outcome.status) (ignored)"
        case .budgetSpent:
            return "\(name) was stopped: the --budget ran out"
        case .interrupted:
            return nil
        case .cannotStart(let failure):
            return "\(name) could not start: \(failure.message) (ignored)"
        }
    }

    /// Why a run stopped early, for a reason of `retry`'s own (a limit or
    /// the quota); nil when the command's status decided.
    private static func early(_ reason: RunEvent.GiveUp, attempts: Int, status: ExitStatus) -> String? {
        switch reason {
        case .budgetSpent(let budget):
            "giving up: the --budget of \(DurationText.format(budget)) ran out during attempt \(attempts); exit status \(status)"
        case .budgetWouldPass(let budget, let delay):
            "giving up: waiting \(DurationText.format(delay)) would pass the --budget of \(DurationText.format(budget)); exit status \(status)"
        case .retryAfterPastBudget(let budget, let asked):
            "giving up: the server asked to wait \(DurationText.format(asked)) (Retry-After), past the --budget of \(DurationText.format(budget)); exit status \(status)"
        case .budgetSpentInHook(let budget):
            "giving up: the --budget of \(DurationText.format(budget)) ran out during the --before-retry hook; exit status \(status)"
        case .quotaEmpty:
            "giving up: the --quota has no tokens left for a retry; exit status \(status)"
        case .paceSlotPastBudget(let budget, let wait):
            "giving up: the next free slot of the --pace is in \(DurationText.format(wait)), past the --budget of \(DurationText.format(budget))" + (attempts == 0 ? "; not running the command" : "") + "; exit status \(status)"
        case .outputLost(let loss):
            "giving up: \(loss.message); exit status \(status)"
        case .attemptsExhausted, .notRetryable:
            nil
        }
    }

    static func label(_ attempt: RunEvent.Attempt) -> String {
        attempt.limit.map { "\(attempt.number)/\($0)" } ?? "\(attempt.number)"
    }

    private static func describe(_ outcome: AttemptOutcome, elapsed: Duration) -> String {
        switch outcome {
        case .terminated(.exited(let code)): "failed with exit status \(code)"
        case .terminated(.signaled(let signal)): "was killed by \(SignalName.of(signal)) (exit status \(128 + signal))"
        case .timedOut(let limit): "timed out at its --timeout of \(DurationText.format(limit)) (exit status 124)"
        case .flagged(let termination, .http(let code)): "got HTTP \(code) (exit status \(termination.status))"
        case .flagged(let termination, .retryPattern): "printed a match for --retry-if-output (exit status \(termination.status))"
        case .flagged(let termination, .stopPattern): "printed a match for --stop-if-output (exit status \(termination.status))"
        }
    }

    private static func explain(_ reason: RetryPolicy.Reason, _ status: ExitStatus) -> String {
        switch reason {
        // Every final line ends with `; exit status N`, for people and greps alike.
        case .stopOn: "exit status \(status) is in --stop-on; exit status \(status)"
        case .notInRetryOn: "exit status \(status) is not in --retry-on; exit status \(status)"
        case .cannotRun: "exit status \(status) means the command could not be found or run; exit status \(status)"
        case .stopIfOutput: "the output matched --stop-if-output; exit status \(status)"
        case .httpStatus(let code): "HTTP \(code) is not a transient status (see --retry-on-http); exit status \(status)"
        }
    }
}
