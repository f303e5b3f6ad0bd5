import Foundation
import RetryCore
import XCTest

/// Timeouts, the budget, signals and the terminal, with real processes.
/// Handshakes (`echo ready`) replace fixed sleeps; time bounds are loose
/// safety nets, never the assertion.
final class TimeLimitsAndSignalsTests: XCTestCase {
    func testATimedOutAttemptExits124Promptly() throws {
        let started = Date()
        let result = try RetryBinary.run("--attempts", "1", "--timeout", "200ms", "--", "sleep", "10")
        XCTAssertEqual(result.status, 124)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "safety net: the timeout is 200ms")
        XCTAssertEqual(result.stderrLines, ["retry: attempt 1/1 timed out at its --timeout of 200ms (exit status 124)",
                                            "retry: giving up after 1 attempt; exit status 124"])
    }

    func testABackgroundProcessOfACommandThatExitedIsLeftAndThePageSaysSo() throws {
        // As GNU timeout: the command exited by itself, so nothing is torn down.
        let result = try RetryBinary.run("-n", "1", "--", "sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!; exit 0")
        XCTAssertEqual(result.status, 0, result.stderr)
        let pid = try XCTUnwrap(Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        XCTAssertEqual(kill(pid, 0), 0, "the background sleep is left running")
        // The docs promise no more than that (the man page said nothing was left).
        for path in ["man/retry.1", "docs/time-limits-and-signals.md"] {
            let text = try String(contentsOf: DocumentationTests.root.appendingPathComponent(path), encoding: .utf8)
            XCTAssertFalse(text.contains("ends, normally or of a signal it received, nothing of the command's process"), path)
        }
        let details = try String(contentsOf: DocumentationTests.root.appendingPathComponent("docs/time-limits-and-signals.md"), encoding: .utf8)
        XCTAssertTrue(details.contains("When the command exits by itself, the attempt is over"))
    }

    func testEveryTimedOutAttemptIsRetried() throws {
        let result = try RetryBinary.run("-n", "3", "-t", "200ms", "-b", "0", "sh", "-c", "echo run $RETRY_ATTEMPT; exec sleep 10")
        XCTAssertEqual(result.status, 124)
        XCTAssertEqual(result.stdout, "run 1\nrun 2\nrun 3\n")
        XCTAssertEqual(result.stderrLines.filter { $0.contains("timed out") }.count, 3)
    }

    func testACommandThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let started = Date()
        let live = try LiveRetry(["-n", "1", "-t", "100ms", "--kill-after", "300ms", "sh", "-c", "trap '' TERM; echo $$; sleep 30"])
        let group = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        let result = live.finish(group: group, within: 5)
        XCTAssertEqual(result.status, 124)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.4, "SIGKILL comes only after timeout + kill-after")
    }

    func testNoProcessOfATimedOutGroupIsLeft() throws {
        // 2s, not less: the group is counted before the timeout fires, even
        // under a sanitizer on a loaded machine (300ms was seen to be too short).
        let live = try LiveRetry(["-n", "1", "-t", "2s", "sh", "-c", "sleep 30 & sleep 30 & echo $$; wait"])
        let group = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        XCTAssertEqual(liveMembers(ofGroup: group).count, 3, "sh and two sleeps run in the command's own group")
        let result = live.finish(group: group, within: 8)
        XCTAssertEqual(result.status, 124)
    }

    func testAGrandchildThatIgnoresSIGTERMIsKilledToo() throws {
        // The command exits on SIGTERM; its grandchild ignores it and must not survive.
        let script = "(trap '' TERM; exec sleep 30) & echo $$; wait"
        let live = try LiveRetry(["-n", "1", "-t", "200ms", "--kill-after", "300ms", "sh", "-c", script])
        let group = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        XCTAssertEqual(live.finish(group: group, within: 5).status, 124)
    }

    func testADelayThatWouldPassTheBudgetIsNotSlept() throws {
        let started = Date()
        let result = try RetryBinary.run("--budget", "1s", "-b", "600ms", "-j", "none", "sh", "-c", "exit 3")
        XCTAssertEqual(result.status, 3, "the last attempt's status is kept")
        XCTAssertEqual(result.stderrLines.last, "retry: giving up: waiting 1.2s would pass the --budget of 1s; exit status 3")
        XCTAssertEqual(result.stderrLines.count, 3)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "safety net")
    }

    func testAnAttemptRunningWhenTheBudgetEndsExits124() throws {
        let result = try RetryBinary.run("--budget", "300ms", "sleep", "10")
        XCTAssertEqual(result.status, 124)
        XCTAssertEqual(result.stderrLines, ["retry: giving up: the --budget of 300ms ran out during attempt 1; exit status 124"])
    }

    func testSignalsDuringAnAttemptAreForwardedAndRetryDiesOfThem() throws {
        for (signal, status) in [(SIGTERM, 143), (SIGINT, 130), (SIGHUP, 129)] as [(Int32, Int32)] {
            let live = try LiveRetry(["-n", "5", "sh", "-c", "echo $$; sleep 30 & wait"])
            let group = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
            kill(live.pid, signal)
            // The background sleep ignores SIGINT (sh starts it so): it is
            // killed after the default --kill-after of 5 s.
            let result = live.finish(group: group, within: 10)
            XCTAssertEqual(result.reason, .uncaughtSignal, "a real signal death, as the parent expects")
            XCTAssertEqual(result.status, signal)
            XCTAssertEqual(128 + result.status, status)
            XCTAssertEqual(result.stdout.split(separator: "\n").count, 1, "no further attempt")
            XCTAssertTrue(result.stderr.hasSuffix("retry: got \(SignalName.of(signal)); stopped the command, no further attempts\n"), result.stderr)
        }
    }

    func testACommandThatIgnoresTheForwardedSignalIsKilledAfterTheGrace() throws {
        let live = try LiveRetry(["--kill-after", "300ms", "sh", "-c", "trap '' TERM; echo $$; while :; do sleep 0.1; done"])
        let group = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        kill(live.pid, SIGTERM)
        let result = live.finish(group: group, within: 5)
        XCTAssertEqual(result.reason, .uncaughtSignal)
        XCTAssertEqual(result.status, SIGTERM)
    }

    func testSignalsDuringTheWaitEndRetryAtOnce() throws {
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            let live = try LiveRetry(["-n", "5", "-b", "30s", "-j", "none", "sh", "-c", "echo run; exit 1"])
            XCTAssertNotNil(live.waitForLine(containing: "next in 30s", onStderr: true))
            kill(live.pid, signal)
            let result = live.finish()
            XCTAssertEqual(result.reason, .uncaughtSignal)
            XCTAssertEqual(result.status, signal)
            XCTAssertEqual(result.stdout, "run\n")
            XCTAssertLessThan(result.seconds, 20, "safety net: it must not finish the 30s wait")
        }
    }

    func testAnIgnoredSIGINTStaysIgnored() throws {
        // A non-interactive shell starts background jobs with SIGINT ignored.
        let result = try RetryBinary.run("sh", "-c", "\(RetryBinary.path) -n 1 sh -c 'grep SigIgn /proc/self/status' & wait")
        let mask = try XCTUnwrap(UInt64(result.stdout.split(separator: "\t").last!.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16))
        XCTAssertEqual(mask & (1 << (UInt64(SIGINT) - 1)), 1 << (UInt64(SIGINT) - 1), "SIGINT is still ignored in the command")
    }

    func testTheCommandStartsWithNothingBlockedAndSIGPIPEAtDefault() throws {
        // Start retry with SIGTERM blocked and SIGPIPE ignored, as some parents do.
        let python = """
            import signal, subprocess, sys
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGUSR1])
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            out = subprocess.run([sys.argv[1], 'grep', '-E', 'SigBlk|SigIgn', '/proc/self/status'],
                                 capture_output=True, text=True, restore_signals=False).stdout
            print(out, end='')
            """
        let result = try RetryBinary.run(["sh", "-c", "command -v python3 >/dev/null || { echo skip; exit 0; }; exec python3 -c \"$0\" \"$1\"", python, RetryBinary.path])
        try XCTSkipIf(result.stdout == "skip\n", "python3 is not installed")
        let fields = Dictionary(uniqueKeysWithValues: result.stdout.split(separator: "\n").map {
            let parts = $0.split(separator: ":")
            return (String(parts[0]), UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16) ?? .max)
        })
        XCTAssertEqual(fields["SigBlk"], 0, "nothing blocked")
        XCTAssertEqual((fields["SigIgn"] ?? .max) & (1 << (UInt64(SIGPIPE) - 1)), 0, "SIGPIPE at its default")
    }

    /// `retry` killed with SIGKILL cannot tear anything down itself; its
    /// guard must, from the command's first instant.
    func testTheCommandDoesNotOutliveARetryKilledWithSIGKILL() throws {
        // The grandchild ignores SIGTERM: only the SIGKILL after --kill-after ends it.
        let live = try LiveRetry(["-n", "3", "--kill-after", "300ms", "sh", "-c", "(trap '' TERM; exec sleep 30) & echo $$; wait"])
        let group = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        kill(live.pid, SIGKILL)
        XCTAssertEqual(live.finish().status, SIGKILL)
        let gone = awaitGroupGone(group, within: 3)
        XCTAssertNotNil(gone, "the command and its child, which ignores SIGTERM, are gone within --kill-after and a margin")
    }

    func testASegfaultExits139() throws {
        XCTAssertEqual(try RetryBinary.run("-n", "1", "sh", "-c", "kill -SEGV $$").status, 139)
    }

    /// Drives `retry` from a pseudo-terminal: waits for `ready`, types
    /// Ctrl-C, and returns what the terminal showed and how retry ended.
    static let ctrlCAtATerminal = #"""
        import os, pty, select, sys, time
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.argv[1], sys.argv[1:])
        out, deadline, typed = b"", time.time() + 20, False
        while time.time() < deadline:
            if not typed and b"ready" in out:
                os.write(fd, b"\x03")
                typed = True
            if not select.select([fd], [], [], 0.2)[0]:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        else:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        print(out.decode(errors="replace"))
        print("signal %d" % os.WTERMSIG(status) if os.WIFSIGNALED(status) else "exit %d" % os.WEXITSTATUS(status))
        """#

    /// A command that catches Ctrl-C and exits 130 (a shell's trap) is the
    /// user's stop: no second attempt, no second Ctrl-C needed.
    func testACtrlCTheCommandCatchesStopsTheRunAtATerminal() throws {
        try XCTSkipIf(!FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 is not installed")
        // `ready` only once the command's group owns the terminal (fields 5
        // and 8 of /proc/PID/stat, pgrp and tpgid, agree): a Ctrl-C typed
        // before that reaches retry, which forwards it, a case of its own.
        let command = #"until set -- $(cat /proc/$$/stat); [ "$5" = "$8" ]; do sleep 0.01; done; "#
            + "trap 'echo trapped; exit 130' INT; echo ready; while :; do sleep 0.05; done"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
        process.arguments = ["-c", Self.ctrlCAtATerminal, RetryBinary.path, "-n", "3", "-b", "0", "--", "sh", "-c", command]
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        try process.run()
        let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // The terminal ends lines with CR LF, which Swift takes as one Character.
        let lines = result.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0 == "ready" }.count, 1, result)
        XCTAssertTrue(lines.contains { $0.hasSuffix("trapped") }, "the terminal echoes ^C before it: \(result)")
        XCTAssertTrue(lines.contains("retry: got SIGINT; stopped the command, no further attempts"), result)
        XCTAssertEqual(lines.last, "signal 2", "retry dies of SIGINT, as the shell expects of a Ctrl-C: \(result)")
    }

    /// Foundation puts the command in a group of its own; unless it is made
    /// the terminal's foreground group, reading the terminal stops it.
    func testACommandCanReadTheTerminal() throws {
        try XCTSkipIf(!FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script(1) is not installed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(RetryBinary.path) -- sh -c 'read line; echo got $line'", "/dev/null"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data("hello\n".utf8))
        // A stopped command would hang here; a watchdog ends the test instead.
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        XCTAssertTrue(text.contains("got hello"), text)
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
