import Foundation
import RetryCore
import XCTest

/// The traps a new user fell into (issue 24), each run as that user ran it:
/// the fix, or where the behaviour stays, the line that explains it.
final class NewUserTrapsTests: XCTestCase {
    // MARK: 1. -t is a time limit here, three tries in Debian's retry

    func testABareSmallTimeoutThatCutsAnAttemptSaysItIsNotDebiansTries() throws {
        let result = try RetryBinary.run("-t", "1", "-n", "1", "--", "sh", "-c", "exec sleep 5")
        XCTAssertEqual(result.status, 124)
        XCTAssertEqual(result.stderrLines, [
            "retry: attempt 1/1 timed out at its --timeout of 1s (exit status 124)",
            "retry: -t 1 limits each attempt to 1s; it is not 1 try as in Debian's retry: for 1 attempt write -n 1 "
                + "(write -t 1s to keep the limit without this note)",
            "retry: giving up after 1 attempt; exit status 124",
        ])
        // With a unit the limit is what was meant: no note.
        let meant = try RetryBinary.run("-t", "1s", "-n", "1", "--", "sh", "-c", "exec sleep 5")
        XCTAssertEqual(meant.status, 124)
        XCTAssertFalse(meant.stderr.contains("Debian"), meant.stderr)
        // --dry-run says it before anything runs.
        let dry = try RetryBinary.run("--dry-run", "--timeout", "3")
        XCTAssertTrue(dry.stdout.contains("\n--timeout 3 limits each attempt to 3s; it is not 3 tries as in Debian's retry: "
                                          + "for 3 attempts write -n 3"), dry.stdout)
    }

    func testOtherToolsNamesForTheOptionsGetOurs() throws {
        let cases = [
            ("--times", "; did you mean --attempts? (-n N: at most N runs, the first included; Debian's retry --times N)"),
            ("--tries", "; did you mean --attempts? (-n N: at most N runs, the first included)"),
            ("--retries", "; did you mean --attempts? (-n N counts the first run too: 3 retries is -n 4)"),
            ("--delay", "; did you mean --base? (-b DURATION: the first delay; with -s constant, every delay)"),
            ("--interval", "; did you mean --base with --strategy constant? (-s constant -b DURATION: the same delay each time)"),
        ]
        for (option, hint) in cases {
            let result = try RetryBinary.run(option, "3", "true")
            XCTAssertEqual(result.status, 125, option)
            XCTAssertEqual(result.stderr, "retry: unknown option \(option)\(hint)\n")
        }
    }

    /// The "Coming from Debian's retry" table names only options that exist.
    func testTheDebianTableNamesRealOptions() throws {
        let page = try String(contentsOf: DocumentationTests.root.appendingPathComponent("docs/coming-from-debian-retry.md"), encoding: .utf8)
        let rows = page.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Debian") }
        XCTAssertGreaterThanOrEqual(rows.count, 8)
        // The second column: ours.
        let ours = rows.compactMap { $0.split(separator: "|").dropFirst().first }
        let named = Set(ours.flatMap { $0.matches(of: /--([a-z][a-z-]+)/).map { String($0.1) } })
        XCTAssertTrue(named.isSuperset(of: ["attempts", "forever", "retry-on", "stop-on", "stdin", "hold-output"]), "\(named)")
        XCTAssertTrue(named.isSubset(of: Set(OptionSpec.all.map(\.long))), "\(named.subtracting(OptionSpec.all.map(\.long)))")
    }

    // MARK: 2. A quoted command line with a URL or a path in it

    func testAQuotedCommandLineWithSlashesGetsTheQuotesHint() throws {
        let line = "curl -fsS http://host/q?x=1"
        let result = try RetryBinary.run("-n", "2", line)
        XCTAssertEqual(result.status, 127)
        XCTAssertEqual(result.stderr, "retry: \(line): no such file; if it is a command line, the quotes make it one word: "
                       + "drop them (retry \(line)), or use sh -c '\(line)'\n")
    }

    // MARK: 3. A count where the command goes

    func testACountInPlaceOfTheCommandSuggestsDashN() throws {
        let result = try RetryBinary.run("3", "true")
        XCTAssertEqual(result.status, 127)
        XCTAssertEqual(result.stderr, "retry: 3: command not found; for at most 3 attempts, put -n before it: retry -n 3 -- COMMAND\n")
    }

    // MARK: 4. -q keeps one line for every run that ends without success

    func testQuietKeepsOneLineWhenTheAttemptsRunOut() throws {
        let exhausted = try RetryBinary.run("-q", "-n", "2", "-b", "0", "-t", "100ms", "--", "sleep", "5")
        XCTAssertEqual(exhausted.status, 124)
        XCTAssertEqual(exhausted.stderr, "retry: giving up after 2 attempts; exit status 124\n")
        let refused = try RetryBinary.run("-q", "-r", "3", "--", "sh", "-c", "exit 22")
        XCTAssertEqual(refused.status, 22)
        XCTAssertEqual(refused.stderr, "retry: not retrying: exit status 22 is not in --retry-on; exit status 22\n")
        let success = try RetryBinary.run("-q", "-n", "2", "-b", "0", "--", "sh", "-c", "[ $RETRY_ATTEMPT = 2 ]")
        XCTAssertEqual(success.status, 0)
        XCTAssertEqual(success.stderr, "", "a run that ends in success says nothing")
    }

    // MARK: 5. Durations print so that they type back

    func testPrintedDurationsTypeBackAndOneAttemptIsSingular() throws {
        let result = try RetryBinary.run("--dry-run", "-b", "2m0.5s", "-n", "1")
        XCTAssertEqual(result.status, 0)
        let heading = try XCTUnwrap(result.stdout.split(separator: "\n").first)
        XCTAssertTrue(heading.hasPrefix("strategy exponential, base 2m0.5s, multiplier 2, cap 2m0.5s,"), String(heading))
        XCTAssertTrue(heading.contains(", at most 1 attempt") && !heading.contains("1 attempts"), String(heading))
    }

    // MARK: 6. Every final line ends with the exit status

    func testNotInRetryOnEndsWithTheExitStatus() throws {
        let result = try RetryBinary.run("-r", "3", "--", "sh", "-c", "exit 22")
        XCTAssertEqual(result.status, 22)
        XCTAssertEqual(result.stderrLines.last, "retry: not retrying: exit status 22 is not in --retry-on; exit status 22")
    }

    // MARK: 8. The step summary's heading, and a missing summary file

    func testTheStepSummaryHeadingQuotesTheCommandAsAShellNeedsIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traps-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = directory + "/summary.md"
        try "".write(toFile: summary, atomically: false, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["GITHUB_ACTIONS"] = "true"
        environment["GITHUB_STEP_SUMMARY"] = summary
        environment["GITHUB_OUTPUT"] = nil
        let script = "echo \"x\"; echo `date`\nexit 0"
        XCTAssertEqual(try RetryBinary.run(["-q", "sh", "-c", script], environment: environment).status, 0)
        let heading = try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n").first
        XCTAssertEqual(heading, #"### retry: ``sh -c $'echo "x"; echo `date`\nexit 0'``"#)
        // A missing file: one warning, as docs/hooks-and-ci.md says, and the status stays.
        environment["GITHUB_STEP_SUMMARY"] = directory + "/missing/summary.md"
        let missing = try RetryBinary.run(["-q", "-n", "1", "sh", "-c", "exit 3"], environment: environment)
        XCTAssertEqual(missing.status, 3)
        XCTAssertEqual(missing.stderrLines.filter { !$0.hasPrefix("::") }, [
            "retry: giving up after 1 attempt; exit status 3",
            "retry: cannot append to $GITHUB_STEP_SUMMARY (\(directory)/missing/summary.md): no such file or directory",
        ])
        let readme = try String(contentsOf: DocumentationTests.root.appendingPathComponent("docs/hooks-and-ci.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains("A file it cannot append to (a missing one included) gets one\nwarning line"))
    }

    // MARK: 7. --dry-run shows the threshold that is in force

    func testDryRunDoesNotShowItsOwnThresholdForABreakerAnotherOpened() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("traps-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let breaker = directory + "/breaker"
        let failing = ["-q", "-n", "1", "--breaker", breaker, "--breaker-threshold", "2", "--", "false"]
        XCTAssertEqual(try RetryBinary.run(failing).status, 1)
        let closed = try RetryBinary.run("--dry-run", "--breaker", breaker, "--breaker-threshold", "2")
        XCTAssertTrue(closed.stdout.contains("breaker \(breaker): closed, 1 failed run in a row (--breaker-threshold 2 opens it)\n"),
                      closed.stdout)
        XCTAssertEqual(try RetryBinary.run(failing).status, 1)
        let open = try RetryBinary.run("--dry-run", "--breaker", breaker)
        let line = try XCTUnwrap(open.stdout.split(separator: "\n").first { $0.hasPrefix("breaker ") })
        XCTAssertTrue(line.hasPrefix("breaker \(breaker): open, 2 failed runs in a row, next trial at "), String(line))
        XCTAssertFalse(line.contains("threshold") || line.contains("opens"), "not this command's default threshold: \(line)")
    }

    // MARK: 9. Redis: a wrong password, and a scheme retry does not know

    func testAWrongRedisPasswordSaysAuthenticationAndAnUnknownSchemeIsRefused() throws {
        let redis = try TestRedisServer()
        defer { redis.stop() }
        _ = try redis.command(["CONFIG", "SET", "requirepass", "s3cret"])
        let url = "redis://:nope@127.0.0.1:\(redis.port)/b"
        let wrong = try RetryBinary.run("-n", "1", "--breaker", url, "true")
        XCTAssertEqual(wrong.status, 0, "fails open")
        let warning = try XCTUnwrap(wrong.stderrLines.first)
        XCTAssertTrue(warning.hasPrefix("retry: redis://127.0.0.1:\(redis.port)/b: cannot use Redis: authentication failed "
                                        + "(Redis answered: WRONGPASS"), warning)
        XCTAssertTrue(warning.hasSuffix("); check the password, in the URL or REDISCLI_AUTH; going on without it"), warning)
        XCTAssertFalse(warning.contains("limit"), warning)
        let none = try RetryBinary.run("-n", "1", "--breaker", redis.url("b"), "true")
        XCTAssertTrue(none.stderr.contains("cannot use Redis: the server needs a password (Redis answered: NOAUTH"), none.stderr)
        XCTAssertTrue(none.stderr.hasSuffix("give it in the URL, redis://:PASSWORD@HOST/KEY, or in REDISCLI_AUTH; going on without it\n"),
                      none.stderr)

        let unix = try RetryBinary.run("--breaker", "unix:///tmp/x.sock", "true")
        XCTAssertEqual(unix.status, 125)
        XCTAssertEqual(unix.stderr, "retry: --breaker: 'unix:///tmp/x.sock': unix:// is not a store retry knows; give a file's path "
                       + "or redis:// or rediss:// (a file of that name: write ./unix:///tmp/x.sock)\n")
    }

    // MARK: 10. A bare number is seconds

    func testABareNumberIsSaidToBeSeconds() throws {
        let line = "-b 500 is 500 seconds (8m20s): a bare number is seconds; for milliseconds write 500ms"
        let dry = try RetryBinary.run("--dry-run", "-b", "500")
        XCTAssertEqual(dry.status, 0)
        XCTAssertTrue(dry.stdout.contains("\n\(line)\n"), dry.stdout)
        let verbose = try RetryBinary.run("-v", "-b", "500", "true")
        XCTAssertEqual(verbose.status, 0)
        XCTAssertEqual(verbose.stderrLines.first, "retry: " + line)
        let normal = try RetryBinary.run("-b", "500", "true")
        XCTAssertEqual(normal.stderr, "", "only --verbose and --dry-run say it")
        let withUnit = try RetryBinary.run("--dry-run", "-b", "500ms")
        XCTAssertFalse(withUnit.stdout.contains("bare number"), withUnit.stdout)
        let help = try RetryBinary.run("--help")
        let base = try XCTUnwrap(help.stdout.split(separator: "\n").first { $0.contains("--base DURATION") })
        XCTAssertTrue(base.hasSuffix("a bare number is seconds"), String(base))
        XCTAssertEqual(help.stdout.split(separator: "\n").first { $0.contains("DURATION") }, base, "beside the first DURATION")
    }
}
