import Testing
@testable import RetryCore

/// The composition: arguments in, a result and the right stream out.
@Suite struct RetryCommandTests {
    struct OutputLost: Error, CustomStringConvertible {
        var description: String { "no space left on device" }
    }

    /// A host over `system`, recording what goes to stdout and stderr.
    final class Recorder {
        var stdout = ""
        var stderr = ""
        var opened: [Configuration] = []
        var stdoutFails = false
        var sharedState: Result<FakeMemory, SharedStateError> = .success(FakeMemory())
        var environment = ["PATH": "/bin"]
        /// What was appended to which file (GitHub Actions' summary and outputs).
        var appended: [String: String] = [:]
        var appendFails = false

        func host(_ system: FakeSystem) -> Host {
            Host(launcher: system, clock: system, wallClock: system, events: system, random: SplitMix64(seed: 7),
                 environment: environment,
                 standardOutput: { text in
                     if self.stdoutFails { throw OutputLost() }
                     self.stdout += text
                 },
                 standardError: { self.stderr += $0 },
                 openSharedState: { configuration, _ throws(SharedStateError) in
                     self.opened.append(configuration)
                     return try self.sharedState.get()
                 },
                 appendToFile: { text, path in
                     if self.appendFails { throw OutputLost() }
                     self.appended[path, default: ""] += text
                 })
        }
    }

    @Test func helpGoesToStdoutAndSucceeds() {
        let recorder = Recorder()
        #expect(RetryCommand.run(["--help"], host: recorder.host(FakeSystem([]))) == .exit(.success))
        #expect(recorder.stdout.hasPrefix("Usage: retry"))
        #expect(recorder.stderr.isEmpty)
    }

    @Test func helpThatCannotBeWrittenFailsWith125() {
        let recorder = Recorder()
        recorder.stdoutFails = true
        #expect(RetryCommand.run(["--version"], host: recorder.host(FakeSystem([]))) == .exit(.usage))
        #expect(recorder.stderr == "retry: cannot write to standard output: no space left on device\n")
    }

    @Test func aUsageErrorIsOneLineAnd125() {
        let recorder = Recorder()
        let system = FakeSystem([.exits(0)])
        #expect(RetryCommand.run(["--atempts", "3", "true"], host: recorder.host(system)) == .exit(.usage))
        #expect(recorder.stderr == "retry: unknown option --atempts; did you mean --attempts?\n")
        #expect(system.requests.isEmpty)
    }

    @Test func aRunPassesTheCommandsStatusThrough() {
        let recorder = Recorder()
        let system = FakeSystem([.exits(3), .exits(4)])
        #expect(RetryCommand.run(["-n", "2", "-b", "0", "false"], host: recorder.host(system)) == .exit(ExitStatus(rawValue: 4)))
        #expect(system.requests.map(\.arguments) == [["false"], ["false"]])
        #expect(system.requests.first?.environment["PATH"] == "/bin")
        #expect(recorder.stdout.isEmpty)
    }

    @Test func sharedStateIsOpenedOnlyWhenAskedFor() {
        let recorder = Recorder()
        _ = RetryCommand.run(["true"], host: recorder.host(FakeSystem([.exits(0)])))
        #expect(recorder.opened.isEmpty)
        _ = RetryCommand.run(["--breaker", "/x/b", "true"], host: recorder.host(FakeSystem([.exits(0)])))
        #expect(recorder.opened.map(\.sharedState.breakerPath) == ["/x/b"])
    }

    @Test func refusedSharedStateStopsBeforeTheCommandWith125() {
        let recorder = Recorder()
        recorder.sharedState = .failure(.refused("/x/b is a symbolic link; name the file itself"))
        let system = FakeSystem([.exits(0)])
        #expect(RetryCommand.run(["--breaker", "/x/b", "true"], host: recorder.host(system)) == .exit(.usage))
        #expect(recorder.stderr == "retry: /x/b is a symbolic link; name the file itself\n")
        #expect(system.requests.isEmpty)
    }

    @Test func stdinThatCannotBeKeptStopsBeforeTheCommandWith125() {
        let recorder = Recorder()
        let system = FakeSystem([.exits(0)])
        system.keepingInputFails = .setup("bad file descriptor")
        #expect(RetryCommand.run(["--stdin", "replay", "cat"], host: recorder.host(system)) == .exit(.usage))
        #expect(recorder.stderr == "retry: --stdin replay: cannot keep the standard input: bad file descriptor\n")
        #expect(system.requests.isEmpty)
    }

    @Test func replayedStdinIsKeptOnceAndReadByEveryAttempt() {
        let recorder = Recorder()
        let system = FakeSystem([.exits(1), .exits(0)])
        #expect(RetryCommand.run(["--stdin", "replay", "-b", "0", "cat"], host: recorder.host(system)) == .exit(.success))
        #expect(system.keptInput == 1)
        #expect(system.requests.map(\.replayStandardInput) == [true, true])
    }

    @Test func aDryRunPrintsTheScheduleAndRunsNothing() {
        let recorder = Recorder()
        let system = FakeSystem([.exits(0)])
        #expect(RetryCommand.run(["--dry-run", "-n", "2", "true"], host: recorder.host(system)) == .exit(.success))
        #expect(recorder.stdout.contains("attempt"))
        #expect(system.requests.isEmpty)
    }

    // MARK: GitHub Actions

    static let actions = ["PATH": "/bin", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "/s", "GITHUB_OUTPUT": "/o"]

    @Test func inActionsTheRunIsAppendedToTheSummaryAndTheOutputs() {
        let recorder = Recorder()
        recorder.environment = Self.actions
        let system = FakeSystem([.exits(3), .exits(0)])
        #expect(RetryCommand.run(["-q", "-b", "0", "make"], host: recorder.host(system)) == .exit(.success))
        #expect(recorder.appended["/o"] == "attempts=2\nexit_status=0\nreason=success\n")
        #expect(recorder.appended["/s"]?.contains("| 1 | 3 | 10ms | exit |\n| 2 | 0 | 10ms | success |\n") == true)
        #expect(recorder.appended.count == 2)
    }

    @Test func outsideActionsOrInADryRunNothingIsAppended() {
        for (environment, words) in [(["PATH": "/bin", "GITHUB_STEP_SUMMARY": "/s", "GITHUB_OUTPUT": "/o"], ["true"]),
                                     (Self.actions, ["--dry-run", "true"])] {
            let recorder = Recorder()
            recorder.environment = environment
            #expect(RetryCommand.run(words, host: recorder.host(FakeSystem([.exits(0)]))) == .exit(.success))
            #expect(recorder.appended.isEmpty)
        }
    }

    @Test func aSummaryThatCannotBeWrittenIsAWarningAndChangesNothingElse() {
        let recorder = Recorder()
        recorder.environment = Self.actions
        recorder.environment["GITHUB_OUTPUT"] = nil
        recorder.appendFails = true
        #expect(RetryCommand.run(["-q", "-n", "1", "false"], host: recorder.host(FakeSystem([.exits(4)]))) == .exit(RetryCore.ExitStatus(rawValue: 4)))
        #expect(recorder.stderr.hasSuffix("retry: cannot append to $GITHUB_STEP_SUMMARY (/s): no space left on device\n"))
    }
}
