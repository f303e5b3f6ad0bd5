/// The whole `retry` command: arguments in, exit status out.
package enum RetryCommand {
    package static func run(_ arguments: [String], host: Host) -> RunResult {
        var host = host
        let configuration: Configuration
        do {
            switch try CommandLineParser.parse(arguments) {
            case .help:
                return printResult(HelpText.usage, host: host)
            case .version:
                return printResult(HelpText.version + "\n" + (host.launcherDescription.map { $0 + "\n" } ?? ""), host: host)
            case .run(let parsed):
                configuration = parsed
            }
        } catch {
            host.standardError("retry: \(error.message)\n")
            return .exit(ExitStatus(for: .usage))
        }
        let show = reporter(for: configuration, host: host)
        let summary = ActionsSummary.isActive(environment: host.environment)
            ? ActionsSummary(command: configuration.command, clock: host.clock) : nil
        let shown: (RunEvent) -> Void = summary.map { summary in { event in summary.record(event); show(event) } } ?? show
        let report = explainingBareSeconds(configuration, shown)
        // State-file troubles go the way of every other message, JSON included.
        let warn = { (message: String) in report(.warning(message)) }
        if configuration.presentation.verbosity == .verbose, let problem = host.launcherProblem { warn(problem) }
        var memory: (any RunMemory)?
        if configuration.sharedState.isUsed {
            do {
                memory = try host.openSharedState(configuration, warn)
            } catch {
                warn(error.message)
                return .exit(ExitStatus(for: .sharedStateRefused))
            }
        }
        var pace: (any PaceStore)?
        if configuration.sharedState.pacePath != nil {
            do {
                pace = try host.openPace(configuration, warn)
            } catch {
                warn(error.message)
                return .exit(ExitStatus(for: .sharedStateRefused))
            }
        }
        if let action = configuration.sharedState.action {
            return operate(action, memory: memory, pace: pace, configuration, host: host, warn: warn)
        }
        if configuration.presentation.dryRun {
            let lines = (memory?.describe() ?? []) + (pace?.describe() ?? [])
            let state = lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n") + "\n"
            let bare = configuration.presentation.bareSeconds.flatMap { [$0.line] + ($0.debianHint.map { [$0] } ?? []) }
            let notes = bare.isEmpty ? "" : "\n" + bare.joined(separator: "\n") + "\n"
            return printResult(Schedule(configuration).render() + notes + state, host: host)
        }
        // `-b 500` is 8m20s: said with --verbose, where a user who meant
        // milliseconds looks.
        for bare in configuration.presentation.bareSeconds { report(.note(bare.line)) }
        if let stop = keepStandardInput(configuration, host: host, report: report) { return stop }
        let runner = Runner(
            configuration: configuration,
            environment: host.environment,
            idempotencyKey: configuration.idempotencyKey ?? IdempotencyKey.generate(using: &host.random),
            launcher: host.launcher,
            events: host.events,
            clock: host.clock,
            memory: memory,
            wall: host.wallClock,
            pace: pace,
            report: report)
        let result: RunResult
        if let seed = configuration.seed {
            var seeded = SplitMix64(seed: seed)
            result = runner.run(random: &seeded)
        } else {
            result = runner.run(random: &host.random)
        }
        if let summary { publish(summary, result, host: host, warn: warn) }
        return result
    }

    /// `report`, with a hint after the first attempt that times out under a
    /// `-t 3`: that it is not Debian's three tries.
    private static func explainingBareSeconds(_ configuration: Configuration,
                                              _ report: @escaping (RunEvent) -> Void) -> (RunEvent) -> Void {
        guard let hint = configuration.presentation.bareSeconds.lazy.compactMap(\.debianHint).first else { return report }
        var hinted = false
        return { event in
            report(event)
            if !hinted, case .attemptFailed(_, .timedOut, _, _, _) = event {
                hinted = true
                report(.advice(hint))
            }
        }
    }

    /// Reads and keeps stdin for `--stdin replay`; how the run ends when it cannot.
    private static func keepStandardInput(_ configuration: Configuration, host: Host,
                                          report: (RunEvent) -> Void) -> RunResult? {
        guard configuration.replayStandardInput else { return nil }
        do {
            try host.launcher.keepStandardInput()
            return nil
        } catch {
            // A terminal or an open pipe may never end: a signal stops the read.
            if let signal = host.events.receivedSignal {
                report(.interrupted(signal, duringAttempt: false))
                return .signal(signal)
            }
            report(.warning("--stdin replay: cannot keep the standard input: \(error.message)"))
            return .exit(ExitStatus(for: .inputNotKept))
        }
    }

    /// Appends the run to GitHub Actions' step summary and outputs, for
    /// each of `$GITHUB_STEP_SUMMARY` and `$GITHUB_OUTPUT` that is set.
    private static func publish(_ summary: ActionsSummary, _ result: RunResult, host: Host, warn: (String) -> Void) {
        for (variable, text) in [("GITHUB_STEP_SUMMARY", summary.markdown(result)), ("GITHUB_OUTPUT", summary.outputs(result))] {
            guard let path = host.environment[variable], !path.isEmpty else { continue }
            do {
                try host.appendToFile(text, path)
            } catch {
                warn("cannot append to $\(variable) (\(path)): \(error)")
            }
        }
    }

    /// `--show-state` or `--reset-state`: the stores' state (or its reset)
    /// on stdout; a store that cannot be read or changed is status 125.
    private static func operate(_ action: StateAction, memory: (any RunMemory)?, pace: (any PaceStore)?,
                                _ configuration: Configuration, host: Host, warn: (String) -> Void) -> RunResult {
        let format = configuration.presentation.logFormat
        do {
            var snapshot = StoreSnapshot()
            switch action {
            case .show:
                if let memory { snapshot = try memory.snapshot() }
                snapshot.pace = try pace?.snapshot()
            case .reset:
                if let memory { snapshot = try memory.reset() }
                snapshot.pace = try pace?.reset()
            }
            let text = action == .show ? StateReport.show(snapshot, rules: configuration.sharedState, format: format)
                : StateReport.reset(before: snapshot, rules: configuration.sharedState, format: format)
            return printResult(text, host: host)
        } catch {
            warn(error.message)
            return .exit(ExitStatus(for: .sharedStateRefused))
        }
    }

    /// Prints a result that is the whole point of the run, such as `--help`:
    /// success only if all of it was written, as GNU tools do.
    private static func printResult(_ text: String, host: Host) -> RunResult {
        do {
            try host.standardOutput(text)
            return .exit(ExitStatus(for: .printed))
        } catch {
            host.standardError("retry: cannot write to standard output: \(error)\n")
            return .exit(ExitStatus(for: .outputLost))
        }
    }

    /// Where the run's events go: lines for people, or JSON objects.
    private static func reporter(for configuration: Configuration, host: Host) -> (RunEvent) -> Void {
        // Not `host.standardError(...)` inside the closures: that would read
        // `host` while `run(random: &host.random)` holds it for writing.
        let standardError = host.standardError
        switch configuration.presentation.logFormat {
        case .text:
            let style = TextReporter.Style.detect(environment: host.environment, standardErrorIsTerminal: host.standardErrorIsTerminal)
            return TextReporter(verbosity: configuration.presentation.verbosity, style: style, write: standardError).report
        case .json:
            return JSONReporter(wall: host.wallClock, clock: host.clock, write: standardError).report
        }
    }
}
