import Foundation
import RetryCore
import XCTest

/// `--before-retry`, `--on-give-up`, `--stagger` and the GitHub Actions
/// summary with the built binary and real shells.
final class HooksTests: XCTestCase {
    /// A hook that says which one it is and what it was told.
    static let report = #"echo "$0 attempt=$RETRY_ATTEMPT/$RETRY_MAX_ATTEMPTS status=$RETRY_EXIT_STATUS reason=$RETRY_REASON next=${RETRY_NEXT_DELAY_MS-unset} key=$RETRY_IDEMPOTENCY_KEY elapsed=${RETRY_ELAPSED_MS:+set}""#

    func testHooksRunInOrderWithTheirEnvironmentOverThreeAttempts() throws {
        let result = try RetryBinary.run("-n", "3", "-b", "0", "--idempotency-key", "k1",
                                         "--before-retry", Self.report.replacingOccurrences(of: "$0", with: "before"),
                                         "--on-give-up", Self.report.replacingOccurrences(of: "$0", with: "gave-up"),
                                         "sh", "-c", "echo run $RETRY_ATTEMPT; exit 7")
        XCTAssertEqual(result.status, 7)
        XCTAssertEqual(result.stdout, "run 1\nrun 2\nrun 3\n", "hooks never write on stdout")
        XCTAssertEqual(result.stderrLines, [
            "retry: attempt 1/3 failed with exit status 7; next in 0ms",
            "before attempt=1/3 status=7 reason=exit next=0 key=k1 elapsed=set",
            "retry: attempt 2/3 failed with exit status 7; next in 0ms",
            "before attempt=2/3 status=7 reason=exit next=0 key=k1 elapsed=set",
            "retry: attempt 3/3 failed with exit status 7",
            "retry: giving up after 3 attempts; exit status 7",
            "gave-up attempt=3/3 status=7 reason=exit next=unset key=k1 elapsed=set",
        ])
    }

    func testNoGiveUpHookAfterASuccess() throws {
        let result = try RetryBinary.run("-n", "3", "-b", "0", "--before-retry", "echo before", "--on-give-up", "echo gave-up",
                                         "sh", "-c", "test $RETRY_ATTEMPT = 2")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderrLines, ["retry: attempt 1/3 failed with exit status 1; next in 0ms", "before"])
    }

    func testAFailingHookLeavesTheRunUnchanged() throws {
        let command = ["-n", "3", "-b", "0", "sh", "-c", "echo run $RETRY_ATTEMPT; exit 4"]
        let plain = try RetryBinary.run(command)
        let hooked = try RetryBinary.run(["--before-retry", "exit 9", "--on-give-up", "kill -KILL $$"] + command)
        XCTAssertEqual(hooked.status, plain.status)
        XCTAssertEqual(hooked.stdout, plain.stdout)
        XCTAssertEqual(hooked.stderrLines.filter { !$0.contains("hook") }, plain.stderrLines)
        XCTAssertEqual(hooked.stderrLines.filter { $0.contains("hook") }, [
            "retry: the --before-retry hook failed with exit status 9 (ignored)",
            "retry: the --before-retry hook failed with exit status 9 (ignored)",
            "retry: the --on-give-up hook was killed by SIGKILL (exit status 137, ignored)",
        ])
    }

    func testAHangingHookIsStoppedAtItsTimeoutWithItsGroup() throws {
        let live = try LiveRetry(["-n", "2", "-b", "0", "--hook-timeout", "1s", "--kill-after", "200ms",
                                  "--before-retry", "trap '' TERM; sleep 30 & echo hook $$; wait",
                                  "sh", "-c", "echo run $RETRY_ATTEMPT; exit 3"])
        let line = try XCTUnwrap(live.waitForLine(containing: "hook", onStderr: true))
        let group = try XCTUnwrap(Int32(line.dropFirst(5)))
        // 1s, not less: the group is counted before the timeout fires, even on a loaded machine.
        XCTAssertEqual(liveMembers(ofGroup: group).count, 2, "sh and sleep run in the hook's own group")
        let result = live.finish(group: group)
        XCTAssertEqual(result.status, 3, "the command's status, not the hook's")
        XCTAssertEqual(result.stdout, "run 1\nrun 2\n", "the run went on")
        XCTAssertTrue(result.stderr.contains("retry: the --before-retry hook timed out at its --hook-timeout of 1s (exit status 124, ignored)\n"),
                      result.stderr)
        XCTAssertGreaterThanOrEqual(result.seconds, 1.2, "SIGKILL only after the timeout and the grace")
        XCTAssertEqual(liveMembers(ofGroup: group), [], "nothing of the hook is left")
    }

    func testATimedOutAttemptIsReasonTimeout() throws {
        let result = try RetryBinary.run("-n", "1", "-t", "100ms", "--on-give-up", "echo $RETRY_REASON $RETRY_EXIT_STATUS", "sleep", "10")
        XCTAssertEqual(result.status, 124)
        XCTAssertEqual(result.stderrLines.last, "timeout 124")
    }

    func testASignalDuringAHookIsForwardedAndNothingFollows() throws {
        let live = try LiveRetry(["-b", "0", "--before-retry", "echo hook $$; sleep 30 & wait", "--on-give-up", "echo gave-up",
                                  "sh", "-c", "echo run; exit 1"])
        let line = try XCTUnwrap(live.waitForLine(containing: "hook", onStderr: true))
        let group = try XCTUnwrap(Int32(line.dropFirst(5)))
        kill(live.pid, SIGTERM)
        let result = live.finish(group: group, within: 5)
        XCTAssertEqual(result.reason, .uncaughtSignal)
        XCTAssertEqual(result.status, SIGTERM)
        XCTAssertEqual(result.stdout, "run\n", "no further attempt")
        XCTAssertFalse(result.stderr.contains("gave-up"), "no --on-give-up after a signal")
        XCTAssertTrue(result.stderr.hasSuffix("retry: got SIGTERM; stopped the --before-retry hook, no further attempts\n"), result.stderr)
        XCTAssertEqual(liveMembers(ofGroup: group), [])
    }

    func testTheHookDoesNotReadTheCommandsInput() throws {
        let result = try RetryBinary.run(["-n", "2", "-b", "0", "--before-retry", "cat", "sh", "-c", "read line; echo got $line; exit 1"],
                                         input: "one\ntwo\n")
        XCTAssertEqual(result.stdout, "got one\ngot two\n")
    }

    // MARK: stagger

    /// The `delay_ms` of the `stagger` event of a JSON log.
    func staggerDelay(_ result: RetryBinary.Result) throws -> Double {
        let line = try XCTUnwrap(result.stderrLines.first { $0.hasPrefix(#"{"event":"stagger""#) }, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try XCTUnwrap(object["delay_ms"] as? Double)
    }

    func testASeededStaggerIsReproducibleAndShownByTheDryRun() throws {
        let options = ["--stagger", "400ms", "--seed", "11", "-n", "1"]
        let first = try RetryBinary.run(options + ["--log-format", "json", "true"])
        let second = try RetryBinary.run(options + ["--log-format", "json", "true"])
        let delay = try staggerDelay(first)
        XCTAssertEqual(delay, try staggerDelay(second))
        XCTAssertTrue(delay >= 0 && delay < 400)
        let other = try RetryBinary.run(["--stagger", "400ms", "--seed", "12", "-n", "1", "--log-format", "json", "true"])
        XCTAssertNotEqual(try staggerDelay(other), delay, "another seed, another stagger")
        let dryRun = try RetryBinary.run(options + ["--dry-run"])
        XCTAssertEqual(dryRun.status, 0)
        XCTAssertTrue(dryRun.stdout.hasPrefix("strategy exponential, base 1s, multiplier 2, cap 1m, jitter full, seed 11, stagger below 400ms,"))
        let shown = DurationText.format(.microseconds(Int64((delay * 1000).rounded())))
        XCTAssertTrue(dryRun.stdout.contains("\n      1  \(shown)"), "\(shown) in\n\(dryRun.stdout)")
    }

    func testAnUnseededStaggerShowsItsRange() throws {
        let dryRun = try RetryBinary.run("--dry-run", "--stagger", "2s", "-n", "2", "-j", "none")
        // After the heading, the line on the jitter and a blank one.
        XCTAssertEqual(dryRun.stdout.components(separatedBy: "\n").dropFirst(3), [
            "attempt  delay before it  total, worst case", "      1  0ms to 2s        2s", "      2  1s               3s", "",
        ])
    }

    func testASignalCutsTheStaggerShortAndNothingRuns() throws {
        let live = try LiveRetry(["-v", "--stagger", "1h", "sh", "-c", "echo ran"])
        XCTAssertNotNil(live.waitForLine(containing: "(--stagger) before the first attempt", onStderr: true))
        kill(live.pid, SIGINT)
        let result = live.finish()
        XCTAssertEqual(result.reason, .uncaughtSignal)
        XCTAssertEqual(result.status, SIGINT)
        XCTAssertEqual(result.stdout, "", "no attempt")
        XCTAssertTrue(result.stderr.hasSuffix("retry: got SIGINT; no further attempts\n"), result.stderr)
        XCTAssertLessThan(result.seconds, 30, "safety net: the stagger was up to an hour")
    }

    // MARK: GitHub Actions

    func testTheStepSummaryAndOutputsInAFakedActionsEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("actions-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = directory + "/summary.md", output = directory + "/output"
        try "earlier step\n".write(toFile: summary, atomically: false, encoding: .utf8)
        try "".write(toFile: output, atomically: false, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["GITHUB_STEP_SUMMARY"] = summary
        environment["GITHUB_OUTPUT"] = output
        environment["GITHUB_ACTIONS"] = nil
        let command = ["-q", "-n", "3", "-b", "0", "sh", "-c", "exit $((RETRY_ATTEMPT + 1))"]
        XCTAssertEqual(try RetryBinary.run(command, environment: environment).status, 4)
        XCTAssertEqual(try String(contentsOfFile: summary, encoding: .utf8), "earlier step\n", "nothing outside Actions")
        // Its size, not its text: Foundation's read of an empty file leaks
        // its 4 KiB buffer, which the AddressSanitizer run reports.
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int, 0)
        environment["GITHUB_ACTIONS"] = "true"
        XCTAssertEqual(try RetryBinary.run(command, environment: environment).status, 4)
        let table = try String(contentsOfFile: summary, encoding: .utf8).components(separatedBy: "\n")
        XCTAssertEqual(Array(table.prefix(4)), ["earlier step", "### retry: `sh -c 'exit $((RETRY_ATTEMPT + 1))'`", "",
                                                "| Attempt | Status | Duration | Reason |"])
        XCTAssertEqual(table.filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Attempt") }.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
            .map { [$0[0], $0[1], $0[3]] }, [["1", "2", "exit"], ["2", "3", "exit"], ["3", "4", "exit"]])
        XCTAssertEqual(table.suffix(3), ["Exit status 4 after 3 attempts (exit).", "", ""], "a blank line ends the section")
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "attempts=3\nexit_status=4\nreason=exit\n")
    }

    func testAnUnwritableSummaryIsOneWarningAndChangesNothingElse() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["GITHUB_ACTIONS"] = "true"
        environment["GITHUB_STEP_SUMMARY"] = "/nonexistent/summary.md"
        environment["GITHUB_OUTPUT"] = nil
        let result = try RetryBinary.run(["-q", "true"], environment: environment)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderrLines.filter { !$0.hasPrefix("::") },
                       ["retry: cannot append to $GITHUB_STEP_SUMMARY (/nonexistent/summary.md): no such file or directory"])
    }
}
