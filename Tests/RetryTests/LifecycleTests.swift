import Foundation
import RetryCore
import XCTest

/// The command's life, held to GNU timeout's standard (issue 13): nothing
/// left running, nothing hanging, nothing misread. Each test is one of the
/// situations the issue lists; `$1` in the shell scripts is `retry`.
final class LifecycleTests: XCTestCase {
    /// Runs `script` with bash (for `$'\xe9'` and PIPESTATUS), `retry`'s path as `$1`.
    func shell(_ script: String, environment: [String: String]? = nil) throws -> RetryBinary.Result {
        try RetryBinary.runInShell(script, shell: "/bin/bash", environment: environment)
    }

    /// The environment for a `retry` that is PID 1 of a namespace: under
    /// AddressSanitizer without the leak check, which cannot stop the
    /// threads of a PID 1 (it reports their live memory as leaked).
    var pid1Environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if let options = environment["ASAN_OPTIONS"] { environment["ASAN_OPTIONS"] = options + ":detect_leaks=0" }
        return environment
    }

    func skipUnlessPIDNamespacesWork() throws {
        let probe = try shell("unshare --pid --fork --mount-proc --map-root-user true 2>/dev/null && echo yes")
        try XCTSkipIf(probe.stdout != "yes\n", "unshare --pid --map-root-user is not available here")
    }

    // Item 1: an orphan nobody reaps must not make teardown hang.

    func testAsPID1TeardownEndsAlthoughAnOrphanIsLeft() throws {
        try skipUnlessPIDNamespacesWork()
        // With and without a /proc of its own namespace; `timeout -s KILL`
        // turns a hang into status 137.
        for mountProc in ["--mount-proc", ""] {
            let result = try shell("""
                timeout -s KILL 20 unshare --pid --fork \(mountProc) --map-root-user \
                    "$1" -n 1 -t 200ms --kill-after 500ms -- sh -c 'trap "" TERM; sleep 30 & sleep 30'
                """, environment: pid1Environment)
            XCTAssertEqual(result.status, 124, "\(mountProc): \(result.stderr)")
        }
    }

    func testAsPID1RetryReapsTheOrphansItAdopts() throws {
        try skipUnlessPIDNamespacesWork()
        // Attempt 1 leaves an orphan that ends at once; attempt 2 counts zombies.
        let script = """
            if [ "$RETRY_ATTEMPT" = 1 ]; then (sleep 0.01 &); sleep 0.3; exit 1; fi
            grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l
            """
        let result = try shell("timeout -s KILL 20 unshare --pid --fork --mount-proc --map-root-user \"$1\" -n 2 -b 0 -- sh -c '\(script)'", environment: pid1Environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0", "no zombie left from attempt 1")
    }

    func testAsPID1OrphansAreReapedWhileTheAttemptRuns() throws {
        try skipUnlessPIDNamespacesWork()
        // Thirty orphans exit during one long attempt; the command counts
        // the zombies before the attempt ends (tini and dumb-init: 0).
        let script = """
            i=0; while [ $i -lt 30 ]; do ( sleep 0.01 & ); sleep 0.03; i=$((i+1)); done
            grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l
            """
        let result = try shell("timeout -s KILL 30 unshare --pid --fork --mount-proc --map-root-user \"$1\" -n 1 -- sh -c '\(script)'",
                               environment: pid1Environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let zombies = try XCTUnwrap(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), result.stdout)
        XCTAssertLessThanOrEqual(zombies, 1, "orphans are reaped as they exit, not when the attempt ends")
    }

    func testAsPID1WithoutItsOwnProcAGroupThatDiedOfSIGTERMEndsAtOnce() throws {
        try skipUnlessPIDNamespacesWork()
        // GNU timeout's init-parent case: zombies are reaped at once, so
        // kill(-group, 0) tells an empty group without /proc; the default
        // --kill-after (5 s) is not waited for.
        let started = Date()
        let result = try shell("""
            timeout -s KILL 20 unshare --pid --fork --map-root-user "$1" -n 1 -t 200ms -- sh -c 'sleep 30 & sleep 30'
            """, environment: pid1Environment)
        XCTAssertEqual(result.status, 124, result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3, "done soon after SIGTERM, not after --kill-after")
    }

    func testUnderANonReapingSubreaperTeardownEnds() throws {
        let python = """
            import ctypes, subprocess, sys
            ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER; orphans are never waited for
            for _ in range(3):
                print(subprocess.run(sys.argv[1:], timeout=20).returncode)
            """
        let result = try shell("""
            command -v python3 >/dev/null || { echo skip; exit 0; }
            python3 -c '\(python)' "$1" -n 1 -t 200ms --kill-after 300ms -- sh -c 'trap "" TERM; sleep 30 & sleep 30'
            """)
        try XCTSkipIf(result.stdout == "skip\n", "python3 is not installed")
        XCTAssertEqual(result.stdout, "124\n124\n124\n", result.stderr)
    }

    // Item 2

    func testAParentIgnoringSIGCHLDDoesNotTurnFailuresIntoSuccess() throws {
        let result = try shell("trap '' CHLD; exec \"$1\" -n 3 -b 0 -- sh -c 'echo run; exit 3'")
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.stdout, "run\nrun\nrun\n")
    }

    // Item 3

    func testACommandDiesWithARetryKilledInItsFirstMilliseconds() throws {
        // It ignores SIGTERM and the grace is long: only PR_SET_PDEATHSIG's
        // SIGKILL ends it soon, not the guard's SIGTERM.
        let live = try LiveRetry(["-n", "1", "--kill-after", "30s", "--", "sh", "-c", "trap '' TERM; echo $$; exec sleep 30"])
        let pid = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        kill(live.pid, SIGKILL)
        XCTAssertEqual(live.finish().status, SIGKILL)
        XCTAssertNotNil(awaitGroupGone(pid, within: 2), "PR_SET_PDEATHSIG took the command with retry")
    }

    // Item 4

    func testAStoppedCommandGetsSIGCONTWithTheTimeoutsSIGTERM() throws {
        let started = Date()
        let result = try RetryBinary.run("-n", "1", "-t", "300ms", "--kill-after", "20s", "--", "sh", "-c", "kill -STOP $$; sleep 30")
        XCTAssertEqual(result.status, 124)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, "ended by SIGTERM, not by SIGKILL 20s later")
    }

    func testAStoppedCommandGetsSIGCONTWithAForwardedSignal() throws {
        let live = try LiveRetry(["--kill-after", "20s", "--", "sh", "-c", "echo $$; kill -STOP $$; sleep 30"])
        let stopped = Date()
        while !isStopped(live) && Date().timeIntervalSince(stopped) < 10 { usleep(5_000) }
        let group = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        kill(live.pid, SIGTERM)
        let result = live.finish(group: group, within: 5)
        XCTAssertEqual(result.status, SIGTERM)
        XCTAssertLessThan(Date().timeIntervalSince(stopped), 15, "ended by SIGTERM, not by SIGKILL 20s later")
    }

    private func isStopped(_ live: LiveRetry) -> Bool {
        let children = procText("/proc/\(live.pid)/task/\(live.pid)/children")
        return children.split(separator: " ").contains { child in
            procText("/proc/\(child)/stat").contains(") T ")
        }
    }

    // Item 5

    func testRetryDyingOfAForwardedSIGQUITLeavesNoCore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let python = """
            import os, resource, signal, subprocess, sys
            resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            # The command dumps no core of its own (ulimit): any core would come from retry.
            child = subprocess.Popen([sys.argv[1], "--", "sh", "-c", "ulimit -c 0; echo ready; exec sleep 30"], stdout=subprocess.PIPE)
            child.stdout.readline()
            os.kill(child.pid, signal.SIGQUIT)
            _, status = os.waitpid(child.pid, 0)
            print(os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1, "core" if os.WCOREDUMP(status) else "no-core")
            """
        let result = try shell("""
            command -v python3 >/dev/null || { echo skip; exit 0; }
            cd '\(directory.path)' && python3 -c '\(python)' "$1"
            """)
        try XCTSkipIf(result.stdout == "skip\n", "python3 is not installed")
        XCTAssertEqual(result.stdout, "3 no-core\n", result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }

    // Item 7

    func testNoFurtherAttemptOnceTheReaderOfStdoutHasGone() throws {
        let result = try shell("\"$1\" -n 5 -b 2s -- yes | head -1; echo \"${PIPESTATUS[0]}\"")
        XCTAssertEqual(result.stdout, "y\n141\n", "yes died of SIGPIPE, and so does the run")
        XCTAssertEqual(result.stderrLines, [
            "retry: attempt 1/5 was killed by SIGPIPE (exit status 141)",
            "retry: giving up: the reader of stdout has gone (broken pipe); exit status 141",
        ])
    }

    // Item 8

    func testArgumentsAndEnvironmentPassByteForByte() throws {
        let result = try shell("""
            export BAD=$'caf\\xe9'
            "$1" -n 1 -- printf '%s|%s' $'caf\\xe9' "$BAD" $'caf\\xe9' | od -An -tx1 | tr -d ' \\n'
            """)
        XCTAssertEqual(result.stdout, "636166e97c636166e9" + "636166e97c", result.stderr)
    }

    // Item 9

    func testTheCommandStartsWithNoSignalIgnoredWhenRetryHadNone() throws {
        let result = try shell("exec env --default-signal \"$1\" -n 1 -- grep SigIgn /proc/self/status")
        XCTAssertEqual(result.stdout, "SigIgn:\t0000000000000000\n", "glibc's signals 32 and 33 are not left ignored")
    }

    func testADurationBelowANanosecondIsALimitNotNone() throws {
        let result = try RetryBinary.run("-n", "1", "-t", "0.0000000001", "--", "sleep", "10")
        XCTAssertEqual(result.status, 124)
    }
}
