import Foundation
import Synchronization
import XCTest

/// The built binary against small `/bin/sh -c` commands: statuses, streams,
/// environment and argv as a script sees them.
final class EndToEndTests: XCTestCase {
    func testSuccessPassesOutputThroughAndSaysNothing() throws {
        let result = try RetryBinary.run("sh", "-c", "echo out; echo err >&2")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "out\n")
        XCTAssertEqual(result.stderr, "err\n")
    }

    func testTheLastAttemptsStatusPassesThrough() throws {
        for code in [1, 3, 42, 255] {
            let result = try RetryBinary.run("-n", "2", "-b", "0", "sh", "-c", "exit \(code)")
            XCTAssertEqual(result.status, Int32(code))
        }
        let recovered = try RetryBinary.run("-b", "0", "sh", "-c", "[ $RETRY_ATTEMPT -ge 3 ] || exit 9")
        XCTAssertEqual(recovered.status, 0)
    }

    func testEachFailedAttemptGetsOneLineAndGivingUpOneMore() throws {
        let result = try RetryBinary.run("-n", "3", "-b", "10ms", "sh", "-c", "echo attempt $RETRY_ATTEMPT; exit 7")
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(result.stdout, "attempt 1\nattempt 2\nattempt 3\n", "stdout stays the command's alone")
        let lines = result.stderrLines
        XCTAssertEqual(lines.count, 4, result.stderr)
        XCTAssertTrue(lines[0].wholeMatch(of: /retry: attempt 1\/3 failed with exit status 7; next in \d+ms/) != nil, lines[0])
        XCTAssertTrue(lines[1].wholeMatch(of: /retry: attempt 2\/3 failed with exit status 7; next in \d+ms/) != nil, lines[1])
        XCTAssertEqual(Array(lines[2...]), ["retry: attempt 3/3 failed with exit status 7", "retry: giving up after 3 attempts; exit status 7"])
    }

    func testQuietKeepsOnlyTheLastLineAndTheStatus() throws {
        let result = try RetryBinary.run("-q", "-n", "2", "-b", "0", "sh", "-c", "exit 4")
        XCTAssertEqual(result.status, 4)
        XCTAssertEqual(result.stderr, "retry: giving up after 2 attempts; exit status 4\n")
        XCTAssertEqual(try RetryBinary.run("-q", "-n", "2", "-b", "0", "true").stderr, "", "a success says nothing")
        // But a run stopped by a limit of retry's own says which, in one line.
        let budget = try RetryBinary.run("-q", "--budget", "500ms", "-b", "600ms", "-j", "none", "sh", "-c", "exit 3")
        XCTAssertEqual(budget.status, 3)
        XCTAssertEqual(budget.stderr, "retry: giving up: waiting 600ms would pass the --budget of 500ms; exit status 3\n")
    }

    func testStdinReachesTheCommand() throws {
        let result = try RetryBinary.run(["cat"], input: "line one\nline two\n")
        XCTAssertEqual(result.stdout, "line one\nline two\n")
    }

    /// The durations retry prints can be typed back.
    func testCompoundDurationsAreAccepted() throws {
        let result = try RetryBinary.run("--dry-run", "-n", "3", "-s", "constant", "-b", "1m30s", "-c", "1h30m", "-j", "none", "true")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("strategy constant, base 1m30s, cap 1h30m, jitter none"), result.stdout)
        XCTAssertTrue(result.stdout.contains("      3  1m30s            3m\n"), result.stdout)
        let typo = try RetryBinary.run("-b", "1m30", "true")
        XCTAssertEqual(typo.status, 125)
        XCTAssertEqual(typo.stderr, "retry: -b: '1m30': expected \(durationSyntax)\n")
    }

    /// -s constant keeps its pace, ±20%, and --dry-run says so.
    func testConstantGetsProportionalJitterAndDryRunSaysWhy() throws {
        let result = try RetryBinary.run("--dry-run", "-s", "constant", "-n", "3", "true")
        XCTAssertEqual(result.stdout, """
            strategy constant, base 1s, cap 1m, jitter 20%, at most 3 attempts
            jitter 20% (the default for constant): each delay its value ±20%, at random

            attempt  delay before it  total, worst case
                  1  -                0ms
                  2  800ms to 1.2s    1.2s
                  3  800ms to 1.2s    2.4s

            """)
        // A real run's delays stay in that range.
        let run = try RetryBinary.run("-s", "constant", "-b", "100ms", "-n", "4", "sh", "-c", "exit 1")
        let delays = run.stderrLines.compactMap { $0.firstMatch(of: /next in (\d+)ms/).map { Int($0.1)! } }
        XCTAssertEqual(delays.count, 3, run.stderr)
        XCTAssertTrue(delays.allSatisfy { (80...120).contains($0) }, "\(delays)")
    }

    /// `retry 'curl -fsS x'`: one quoted word is taken for the command's name.
    func testAWholeCommandLineInQuotesGetsAHint() throws {
        let result = try RetryBinary.run("-n", "3", "true --version")
        XCTAssertEqual(result.status, 127)
        XCTAssertEqual(result.stderr, "retry: true --version: command not found; the quotes make it one name: "
                       + "drop them (retry true --version), or use sh -c 'true --version'\n")
    }

    /// A prompt without a newline does not get retry's line glued to it,
    /// when the output passes through retry.
    func testRetrysLineStartsOnANewLineAfterAPartialOne() throws {
        let result = try RetryBinary.run("--retry-if-output", "zzz", "-n", "2", "-b", "0", "sh", "-c", "printf 'password: ' >&2; printf partial; exit 1")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "partialpartial", "stdout is a file of its own here: left as it is")
        XCTAssertEqual(result.stderrLines, [
            "password: ", "retry: attempt 1/2 failed with exit status 1; next in 0ms",
            "password: ", "retry: attempt 2/2 failed with exit status 1",
            "retry: giving up after 2 attempts; exit status 1",
        ])
        let whole = try RetryBinary.run("--retry-if-output", "zzz", "-n", "1", "sh", "-c", "echo done >&2; exit 1")
        XCTAssertEqual(whole.stderrLines, ["done", "retry: attempt 1/1 failed with exit status 1", "retry: giving up after 1 attempt; exit status 1"],
                       "no empty line after a finished one")
    }

    private let durationSyntax = "a number with an optional unit ms, s, m or h, like 250ms, 1.5s, 2m or 1m30s"

    func testUsageErrorsExit125WithOneLine() throws {
        let cases: [([String], String)] = [
            (["--atempts", "3", "true"], "retry: unknown option --atempts; did you mean --attempts?\n"),
            (["--base", "soon", "true"], "retry: --base: 'soon': expected a number with an optional unit ms, s, m or h, like 250ms, 1.5s, 2m or 1m30s\n"),
            (["-n", "0", "true"], "retry: -n: '0': must be at least 1\n"),
            (["-x", "true"], "retry: unknown option -x; see retry --help for the options\n"),
            (["-r", "1-300", "true"], "retry: -r: '1-300': exit statuses go from 1 to 255; 300 is not one\n"),
            ([], "retry: no command given; usage: retry [options] [--] command [args...]\n"),
            (["--"], "retry: no command given; usage: retry [options] [--] command [args...]\n"),
        ]
        for (arguments, message) in cases {
            let result = try RetryBinary.run(arguments)
            XCTAssertEqual(result.status, 125, "\(arguments)")
            XCTAssertEqual(result.stderr, message)
            XCTAssertEqual(result.stdout, "")
        }
    }

    func testACommandThatIsNotFoundExits127AndIsNotRetried() throws {
        let result = try RetryBinary.run("no-such-command-\(UUID().uuidString)")
        XCTAssertEqual(result.status, 127)
        XCTAssertEqual(result.stderrLines.count, 1)
        XCTAssertTrue(result.stderr.hasSuffix(": command not found (check the name and PATH)\n"), result.stderr)
        XCTAssertEqual(try RetryBinary.run("./no/such/file").stderr, "retry: ./no/such/file: no such file\n")
    }

    func testACommandThatCannotRunExits126AndIsNotRetried() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain").path
        XCTAssertTrue(FileManager.default.createFile(atPath: plain, contents: Data("echo hi\n".utf8), attributes: [.posixPermissions: 0o644]))
        let noShebang = directory.appendingPathComponent("noshebang").path
        XCTAssertTrue(FileManager.default.createFile(atPath: noShebang, contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 0]), attributes: [.posixPermissions: 0o755]))
        for (path, reason) in [(plain, "permission denied (is it executable? try chmod +x)"),
                               (directory.path, "is a directory")] {
            let result = try RetryBinary.run(path)
            XCTAssertEqual(result.status, 126, path)
            XCTAssertEqual(result.stderr, "retry: \(path): cannot run: \(reason)\n")
        }
        // Only exec itself can tell a file the kernel cannot run, and that
        // happens in retry-exec, once the attempt has started: it says why,
        // and its status 126 is not retried.
        let result = try RetryBinary.run(noShebang)
        XCTAssertEqual(result.status, 126)
        XCTAssertEqual(result.stderrLines, ["retry: \(noShebang): cannot run: exec format error (a script needs a #! line)",
                                            "retry: attempt 1/5 failed with exit status 126",
                                            "retry: not retrying: exit status 126 means the command could not be found or run; exit status 126"])
    }

    func testACommandsOwn127IsNotRetriedButCanBeListed() throws {
        let own = try RetryBinary.run("-b", "0", "sh", "-c", "echo run; exit 127")
        XCTAssertEqual(own.status, 127)
        XCTAssertEqual(own.stdout, "run\n")
        XCTAssertEqual(own.stderrLines.last, "retry: not retrying: exit status 127 means the command could not be found or run; exit status 127")
        let listed = try RetryBinary.run("-n", "2", "-b", "0", "-r", "127", "sh", "-c", "echo run; exit 127")
        XCTAssertEqual(listed.stdout, "run\nrun\n")
    }

    func testRetryOnAndStopOnChooseWhatIsRetried() throws {
        let script = "echo $RETRY_ATTEMPT; exit $((RETRY_ATTEMPT + 2))"
        let retryOn = try RetryBinary.run("-n", "5", "-b", "0", "--retry-on", "3-4", "sh", "-c", script)
        XCTAssertEqual(retryOn.stdout, "1\n2\n3\n", "statuses 3 and 4 retried, 5 not")
        XCTAssertEqual(retryOn.status, 5)
        XCTAssertEqual(retryOn.stderrLines.last, "retry: not retrying: exit status 5 is not in --retry-on; exit status 5")
        let stopOn = try RetryBinary.run("-n", "5", "-b", "0", "--stop-on", "4", "sh", "-c", script)
        XCTAssertEqual(stopOn.stdout, "1\n2\n")
        XCTAssertEqual(stopOn.status, 4)
        XCTAssertEqual(stopOn.stderrLines.last, "retry: not retrying: exit status 4 is in --stop-on; exit status 4")
    }

    func testEveryAttemptGetsItsNumberTheLimitAndOneKeyPerRun() throws {
        let script = "echo $RETRY_ATTEMPT $RETRY_MAX_ATTEMPTS $RETRY_IDEMPOTENCY_KEY; exit 1"
        let first = try RetryBinary.run("-n", "3", "-b", "0", "sh", "-c", script)
        let lines = first.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(lines.map { $0[0] }, ["1", "2", "3"])
        XCTAssertEqual(lines.map { $0[1] }, ["3", "3", "3"])
        let key = lines[0][2]
        XCTAssertNotNil(key.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/), key)
        XCTAssertEqual(Set(lines.map { $0[2] }), [key], "one key for every attempt of a run")
        let second = try RetryBinary.run("-n", "1", "sh", "-c", script)
        XCTAssertNotEqual(second.stdout.split(separator: " ")[2], Substring(key), "a new key for a new run")
        let given = try RetryBinary.run("--idempotency-key", "nightly-2026-11-24", "--forever", "sh", "-c", script.replacingOccurrences(of: "exit 1", with: "exit 0"))
        XCTAssertEqual(given.stdout, "1 0 nightly-2026-11-24\n")
    }

    func testTheEnvironmentIsInherited() throws {
        // The sanitizers' options pass through, so that a sanitizer build of
        // retry still writes its reports where bench/sanitizers looks.
        var environment = ["GREETING": "hello there", "PATH": "/usr/bin:/bin"]
        for name in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"] {
            environment[name] = ProcessInfo.processInfo.environment[name]
        }
        let result = try RetryBinary.run(["sh", "-c", "echo $GREETING"], environment: environment)
        XCTAssertEqual(result.stdout, "hello there\n")
    }

    func testTheCommandSeesEveryVariableAsRetryGotIt() throws {
        // Values with `=`, empty ones and non-ASCII ones, split at the first
        // `=`; the attempt's own variables are added.
        var environment = ["EQUALS": "a=b==c", "EMPTY": "", "UNICODE": "gr\u{FC}\u{DF}e \u{1F600}", "PATH": "/usr/bin:/bin"]
        for name in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"] {
            environment[name] = ProcessInfo.processInfo.environment[name]
        }
        let result = try RetryBinary.run(["sh", "-c", "env"], environment: environment)
        let seen = Set(result.stdout.split(separator: "\n").map(String.init))
        for (name, value) in environment { XCTAssertTrue(seen.contains("\(name)=\(value)"), name) }
        XCTAssertTrue(seen.contains("RETRY_ATTEMPT=1"))
        let names = seen.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
        XCTAssertEqual(Set(names).subtracting(environment.keys).subtracting(["RETRY_ATTEMPT", "RETRY_MAX_ATTEMPTS", "RETRY_IDEMPOTENCY_KEY", "PWD", "SHLVL", "_"]), [])
    }

    func testArgumentsReachTheCommandUnchanged() throws {
        let arguments = ["a b", "\"double\"", "it's", "", "$HOME", "*", "--attempts", "-n", "tab\there", "new\nline"]
        let result = try RetryBinary.run(["printf", "[%s]"] + arguments)
        XCTAssertEqual(result.stdout, arguments.map { "[\($0)]" }.joined())
        XCTAssertEqual(try RetryBinary.run("echo", "hi", "--attempts", "3").stdout, "hi --attempts 3\n")
        XCTAssertEqual(try RetryBinary.run("--", "echo", "-n", "x").stdout, "x")
    }

    func testASignalDeathExits128PlusN() throws {
        let result = try RetryBinary.run("-n", "2", "-b", "0", "sh", "-c", "kill -SEGV $$")
        XCTAssertEqual(result.status, 139)
        XCTAssertEqual(result.stderrLines.first, "retry: attempt 1/2 was killed by SIGSEGV (exit status 139); next in 0ms")
    }

    func testHelpAndVersionGoToStdout() throws {
        let help = try RetryBinary.run("--help")
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("Usage: retry [options] [--] command [args...]\n"))
        XCTAssertEqual(help.stderr, "")
        let version = try RetryBinary.run("-V")
        XCTAssertEqual(version.status, 0)
        let helper = (RetryBinary.path as NSString).deletingLastPathComponent + "/retry-exec"
        XCTAssertEqual(version.stdout.split(separator: "\n").last.map(String.init), "helper: \(helper)", "it says where its helper is")
        XCTAssertNotNil(version.stdout.wholeMatch(of: /retry \d+\.\d+\.\d+\nhelper: .*\n/))
    }

    func testDryRunPrintsTheScheduleAndRunsNothing() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("dry-\(UUID().uuidString)").path
        let result = try RetryBinary.run("--dry-run", "-n", "3", "touch", marker)
        XCTAssertEqual(result.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
        XCTAssertEqual(result.stdout.split(separator: "\n").last, "      3  0ms to 2s        3s")
        let seeded = try RetryBinary.run("--dry-run", "--seed", "9", "-s", "decorrelated")
        XCTAssertEqual(seeded.stdout, try RetryBinary.run("--dry-run", "--seed", "9", "-s", "decorrelated").stdout)
    }

    /// Two runs started together must not sleep alike: jitter comes from the
    /// system generator, not from the clock.
    func testProcessesStartedTogetherDrawDifferentDelays() throws {
        let arguments = ["-n", "2", "-b", "50ms", "-c", "50ms", "sh", "-c", "exit 1"]
        let lines = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            let line = (try? RetryBinary.run(arguments))?.stderrLines.first ?? "failed to run"
            lines.withLock { $0.append(line) }
        }
        let drawn = lines.withLock { $0 }
        XCTAssertEqual(drawn.count, 6)
        XCTAssertFalse(drawn.contains("failed to run"))
        XCTAssertGreaterThan(Set(drawn).count, 1, "\(drawn)")
    }

    func testASeedReproducesTheDelays() throws {
        let arguments = ["--seed", "77", "-n", "3", "-b", "20ms", "sh", "-c", "exit 1"]
        XCTAssertEqual(try RetryBinary.run(arguments).stderr, try RetryBinary.run(arguments).stderr)
    }

    /// Foundation alone reports an exit only once every descendant has gone;
    /// a command that leaves a background job must still end on time.
    func testABackgroundedChildDoesNotHoldTheRunOpen() throws {
        let started = Date()
        let result = try RetryBinary.runWithoutInheritedDescriptors(["sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!; exit 0"])
        XCTAssertEqual(result.status, 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, "a safety net, far above the expected few ms")
        if let pid = Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
    }
}
