import Foundation
import XCTest

/// Adversarial inputs end to end (issue 8): each gives a documented status
/// and a one-line message, or runs correctly; nothing crashes or hangs.
final class AdversarialInputTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("adversarial-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func assertUsageError(_ arguments: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try RetryBinary.run(arguments)
        XCTAssertEqual(result.status, 125, "\(arguments)", file: file, line: line)
        XCTAssertEqual(result.stderr, "retry: \(expected)\n", "\(arguments)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
    }

    func testGarbageValuesExit125WithOneLine() throws {
        try assertUsageError(["-n", "abc", "true"], "-n: 'abc': expected a whole number, like 3")
        try assertUsageError(["-n", "3.5", "true"], "-n: '3.5': expected a whole number, like 3")
        try assertUsageError(["-b", "1e3", "true"], "-b: '1e3': expected \(durationSyntax)")
        try assertUsageError(["-b", "0x10", "true"], "-b: '0x10': expected \(durationSyntax)")
        try assertUsageError(["-b", " 1s", "true"], "-b: ' 1s': expected \(durationSyntax)")
        try assertUsageError(["-s", "", "true"], "-s: '': expected one of constant, linear, exponential, decorrelated")
        try assertUsageError(["-j", "full%", "true"], "-j: 'full%': expected none, full, equal or a proportion like 20%")
        try assertUsageError(["-r", "1-2-3", "true"], "-r: '1-2-3': '1-2-3' is not an exit status or a range of them; expected like 1,3,5-9")
        try assertUsageError(["-r", ",", "true"], "-r: ',': '' is not an exit status or a range of them; expected like 1,3,5-9")
        try assertUsageError(["--log-format", "xml", "true"], "--log-format: 'xml': expected text or json")
        try assertUsageError(["--quiet=yes", "true"], "--quiet takes no value; write just --quiet")
    }

    func testACommandWhoseNameIsNotUTF8Runs() throws {
        // Looked up by its bytes: as a String it became e\u{FFFD}, "no such file" (127).
        let script = #"cd "$2" && cp /bin/echo "$(printf 'e\377')" && "$1" -n 1 -- "./$(printf 'e\377')" by-path && PATH="$2" "$1" -n 1 -- "$(printf 'e\377')" by-search"#
        let result = try RetryBinary.runInShell(script, arguments: [directory])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "by-path\nby-search\n")
    }

    func testTheStaggerIsNotWaitedForACommandThatCannotBeFound() throws {
        let result = try RetryBinary.run(["-v", "--stagger", "2s", "-n", "1", "--", "no-such-cmd-for-retry"])
        XCTAssertEqual(result.status, 127)
        XCTAssertFalse(result.stderr.contains("(--stagger)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("no-such-cmd-for-retry: command not found"), result.stderr)
    }

    func testAnOptionLikePathCreatesNoFile() throws {
        // `--quota -5` created files named -5 and -5.lock in the current directory.
        let result = try RetryBinary.runInShell("cd \"$2\" && exec \"$1\" --quota -5 -- true", arguments: [directory])
        XCTAssertEqual(result.status, 125)
        XCTAssertEqual(result.stderr, "retry: --quota needs a value (PATH|URL), but '-5' looks like an option; if it is the value, write --quota=-5 or --quota ./-5\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testHugeNumbersAreRefusedWithTheOptionsOwnLimit() throws {
        try assertUsageError(["-n", "9223372036854775808", "true"], "-n: '9223372036854775808': too large; the most is 9223372036854775807")
        // Today this one says "the most is 18446744073709551615", which is --seed's limit, not -n's.
        try assertUsageError(["-n", "99999999999999999999999", "true"], "-n: '99999999999999999999999': too large; the most is 9223372036854775807")
        try assertUsageError(["--seed", "18446744073709551616", "true"], "--seed: '18446744073709551616': too large; the most is 18446744073709551615")
        try assertUsageError(["-b", "1000000000.000000001", "true"], "-b: '1000000000.000000001': too large; the most is 277777h46m40s")
        try assertUsageError(["-t", "99999999999h", "true"], "-t: '99999999999h': too large; the most is 277777h46m40s")
        try assertUsageError(["--quota-size", "1000000001", "--quota", directory + "/q", "true"], "--quota-size: '1000000001': too large; the most is 1000000000")
        // The largest values are accepted and run.
        XCTAssertEqual(try RetryBinary.run(["-t", "1000000000", "--budget", "1000000000", "--kill-after", "1000000000", "true"]).status, 0)
        let dryRun = try RetryBinary.run(["-n", "9223372036854775807", "-b", "1000000000", "--dry-run"])
        XCTAssertEqual(dryRun.status, 0)
        XCTAssertTrue(dryRun.stdout.contains("at most 9223372036854775807 attempts"), dryRun.stdout)
    }

    func testNegativeZeroIsNegative() throws {
        try assertUsageError(["-n", "-0", "true"], "-n: '-0': cannot be negative")
        try assertUsageError(["-b", "-0", "true"], "-b: '-0': durations cannot be negative")
        try assertUsageError(["-b", "-0.0s", "true"], "-b: '-0.0s': durations cannot be negative")
        try assertUsageError(["-t", "-0", "true"], "-t: '-0': durations cannot be negative")
        try assertUsageError(["--seed", "-0", "true"], "--seed: '-0': cannot be negative")
        try assertUsageError(["-r", "-0", "true"], "-r: '-0': '-0' is not an exit status or a range of them; expected like 1,3,5-9")
    }

    func testDoubleDashAloneIsAMissingCommand() throws {
        try assertUsageError(["--"], "no command given; usage: retry [options] [--] command [args...]")
        try assertUsageError(["-n", "2", "--"], "no command given; usage: retry [options] [--] command [args...]")
    }

    func testAnEmptyCommandNameIsNotFoundAndNotRetried() throws {
        let result = try RetryBinary.run(["-n", "3", "-b", "0", ""])
        XCTAssertEqual(result.status, 127)
        XCTAssertEqual(result.stderr, "retry: '': command not found (check the name and PATH)\n")
    }

    func testADirectoryCannotBeRunAndIsNotRetried() throws {
        for name in [directory, directory + "/", "/", "./"] {
            let result = try RetryBinary.run(["-n", "3", "-b", "0", name])
            XCTAssertEqual(result.status, 126, name)
            XCTAssertEqual(result.stderr, "retry: \(name): cannot run: is a directory\n")
        }
        // A directory in PATH is found but cannot be run, as with execvp.
        try FileManager.default.createDirectory(atPath: directory + "/tool", withIntermediateDirectories: false)
        let inPath = try RetryBinary.run(["tool"], environment: ["PATH": directory])
        XCTAssertEqual(inPath.status, 126)
        XCTAssertEqual(inPath.stderr, "retry: tool: cannot run: is a directory\n")
    }

    func test100000ArgumentsReachTheCommandUnchanged() throws {
        let numbers = (1...100_000).map(String.init)
        let result = try RetryBinary.run(["-n", "1", "printf", "%s"] + numbers)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, numbers.joined())
        XCTAssertEqual(result.stderr, "")
    }

    func testAMegabyteOfEnvironmentReachesTheCommand() throws {
        // One variable cannot hold 1 MiB: Linux refuses any single argument or
        // variable over 128 KiB (MAX_ARG_STRLEN) in execve. So: one of nearly
        // 128 KiB, and 1 MiB in all.
        var environment = ProcessInfo.processInfo.environment
        environment["BIG"] = String(repeating: "b", count: 131_000)
        for index in 0..<8 { environment["BIG\(index)"] = String(repeating: "x", count: 120_000) }
        let script = "for v in BIG BIG0 BIG1 BIG2 BIG3 BIG4 BIG5 BIG6 BIG7; do eval \"printf '%s ' \\${#$v}\"; done; echo $RETRY_ATTEMPT"
        let result = try RetryBinary.run(["-n", "1", "sh", "-c", script], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "131000 120000 120000 120000 120000 120000 120000 120000 120000 1\n")
    }

    /// Runs retry through `sh -c 'exec retry ... REDIRECTIONS'`, so that it
    /// starts with some of fds 0, 1, 2 closed, and counts the attempts in a file.
    private func runWithClosed(_ redirections: String, _ arguments: [String]) throws -> (status: Int32, attempts: Int) {
        let counter = directory + "/attempts"
        try? FileManager.default.removeItem(atPath: counter)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$@\" " + redirections, "sh", RetryBinary.path] + arguments
            + ["sh", "-c", "echo x >> '\(counter)'; echo hello; echo err >&2; exit 3"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let attempts = (try? String(contentsOfFile: counter, encoding: .utf8))?.split(separator: "\n").count ?? 0
        return (process.terminationStatus, attempts)
    }

    func testClosedStandardStreamsChangeNothingButWhereOutputGoes() throws {
        // Today `>&- 2>&-` and `<&- 2>&-` end with 242 (251 with json) after one
        // attempt: the signal relay's pipe takes the two lowest free fds, its
        // write end lands on 2, and retry's own "retry: attempt 1/3 failed" is
        // read back as signal 114 ('r'; '{' is 123).
        for redirections in ["<&-", ">&-", "2>&-", "<&- >&-", "<&- 2>&-", ">&- 2>&-", "<&- >&- 2>&-"] {
            // --http, --retry-if-output and --hold-output relay the command's
            // output through a pipe of retry's, written to fd 1: with `<&- >&-`
            // today the command's "hello" becomes signal 104 ('h'), exit 232.
            for verbosity in [[], ["-v"], ["--log-format", "json"], ["--http"], ["--retry-if-output", "zzz"], ["--hold-output"]] {
                let result = try runWithClosed(redirections, verbosity + ["-n", "3", "-b", "0", "-j", "none"])
                // Output relayed to a closed stdout is lost output: the run
                // fails with 125 at once (held output is never published).
                let lost = redirections.split(separator: " ").contains(">&-") && (verbosity.contains("--http") || verbosity.contains("--retry-if-output"))
                XCTAssertEqual(result.status, lost ? 125 : 3, "\(redirections) \(verbosity)")
                XCTAssertEqual(result.attempts, lost ? 1 : 3, "\(redirections) \(verbosity)")
            }
        }
    }

    func testStdinReplayWithAClosedStdinEndsAndObeysSIGTERM() throws {
        // Today this hangs for ever: fd 0 is the signal relay's read end, the
        // spooler reads it, and a SIGTERM's byte lands in the spool, so retry
        // can only be SIGKILLed.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$@\" <&-", "sh", RetryBinary.path, "--stdin", "replay", "-n", "2", "-b", "0", "cat"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { process in
            ended.signal()
            process.waitUntilExit() // frees the Process: see FoundationLauncher
        }
        try process.run()
        if ended.wait(timeout: .now() + 5) == .timedOut {
            kill(process.processIdentifier, SIGTERM)
            if ended.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                ended.wait()
                XCTFail("retry --stdin replay <&- neither ended nor obeyed SIGTERM; SIGKILLed")
                return
            }
            XCTFail("retry --stdin replay <&- did not end by itself within 5s (SIGTERM ended it)")
            return
        }
        // A closed stdin cannot be kept, as `cat <&-` cannot read it.
        XCTAssertEqual(process.terminationStatus, 125)
    }

    func testHelpVersionAndDryRunFailWhenStdoutCannotBeWritten() throws {
        // Their output is their whole result: GNU tools exit non-zero when it
        // is lost, and so does retry, with 125 and one line saying why.
        let cases: [(redirection: String, reason: String)] = [
            (">&-", "bad file descriptor"),
            (">/dev/full", "no space left on device"),
        ]
        for (redirection, reason) in cases {
            for arguments in [["--help"], ["-V"], ["--dry-run", "-n", "3"]] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "exec \"$@\" " + redirection, "sh", RetryBinary.path] + arguments
                let stderr = Pipe()
                process.standardError = stderr
                try process.run()
                let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                XCTAssertEqual(process.terminationStatus, 125, "\(arguments) \(redirection)")
                XCTAssertEqual(text, "retry: cannot write to standard output: \(reason)\n", "\(arguments) \(redirection)")
            }
        }
    }

    func testACommandThatCannotWriteToAClosedStdoutFailsAndIsRetried() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$@\" >&-", "sh", RetryBinary.path, "-n", "2", "-b", "0", "echo", "hi"]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(text.hasSuffix("retry: giving up after 2 attempts; exit status 1\n"), text)
    }

    func testACorruptStateFileIsReportedNotACrash() throws {
        // Today each of these kills retry with SIGILL (status 132) on every run
        // until the file is removed; the README promises "a corrupt file is
        // reported and started afresh".
        // (RetryBinary's status is Process.terminationStatus: a signal's number
        // when retry dies of one, so 4 for SIGILL.)
        let cases: [(String, [String], Int32)] = [
            ("retry-at 1e300", ["-n", "1", "true"], 0),
            ("retry-at 1e19", ["--dry-run"], 0),
            ("consecutive-failures 9223372036854775807", ["-n", "1", "false"], 1),
            ("runs 9223372036854775807", ["-n", "1", "true"], 0),
        ]
        for (line, arguments, expected) in cases {
            let path = directory + "/breaker-\(UUID().uuidString)"
            var fields = ["phase open", "consecutive-failures 5", "retry-at 0", "trial-pid 0", "trial-process-start 0",
                          "runs 5", "failed-runs 5"]
            let key = line.split(separator: " ")[0]
            fields = fields.map { $0.hasPrefix(key + " ") ? line : $0 }
            if !line.hasPrefix("retry-at") { fields[0] = "phase closed" }
            try ("retry-breaker 1\n" + fields.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let result = try RetryBinary.run(["--breaker", path] + arguments)
            XCTAssertEqual(result.status, expected, "\(line): \(result.stderr)")
        }
        let quota = directory + "/quota"
        // A first-attempt success refunds 1 token; a retry pays 5.
        for (line, command) in [("balance 9223372036854775807", ["true"]),
                                ("retries-taken 9223372036854775807", ["sh", "-c", "[ $RETRY_ATTEMPT = 2 ]"])] {
            var fields = ["balance 500", "retries-taken 0", "retries-refused 0", "tokens-refunded 0"]
            fields = fields.map { $0.hasPrefix(line.split(separator: " ")[0] + " ") ? line : $0 }
            try ("retry-quota 1\n" + fields.joined(separator: "\n") + "\n").write(toFile: quota, atomically: true, encoding: .utf8)
            let result = try RetryBinary.run(["--quota", quota, "-n", "2", "-b", "0"] + command)
            XCTAssertEqual(result.status, 0, "\(line): \(result.stderr)")
        }
    }

    private let durationSyntax = "a number with an optional unit ms, s, m or h, like 250ms, 1.5s, 2m or 1m30s"
}
