import Foundation
import XCTest

/// Hangs that must obey SIGTERM, signals at awkward moments, and low limits:
/// each ends with a clear line and a documented status, never a crash.
final class HostileConditionsTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    /// A retry started with `arguments`; `stdout` and `stdin` as given
    /// (a pipe the test holds, so that it can stall or stay open).
    final class Run {
        let process = Process()
        let stderr = Pipe()
        private let ended = DispatchSemaphore(value: 0)

        init(_ arguments: [String], stdin: Any = FileHandle.nullDevice, stdout: Any = FileHandle.nullDevice, script: String = "exec \"$@\"", environment: [String: String]) throws {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, "sh", RetryBinary.path] + arguments
            process.environment = environment
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            let ended = self.ended
            process.terminationHandler = { process in
                ended.signal()
                process.waitUntilExit() // frees the Process: see FoundationLauncher
            }
            try process.run()
        }

        /// Waits for the end at most `seconds`; SIGKILLs it past that and says so.
        func end(within seconds: Double) -> (finished: Bool, stderr: String) {
            var finished = true
            if ended.wait(timeout: .now() + seconds) == .timedOut {
                finished = false
                kill(process.processIdentifier, SIGKILL)
                ended.wait()
            }
            let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (finished, text)
        }
    }

    var environment: [String: String] { RetryBinary.environment(["TMPDIR": directory, "PATH": "/usr/bin:/bin"]) }

    func testStdinReplayObeysSIGTERMWhileStdinStaysOpen() throws {
        let input = Pipe()
        let run = try Run(["--stdin", "replay", "-v", "--", "cat"], stdin: input, environment: environment)
        kill(run.process.processIdentifier, SIGTERM)
        let (finished, stderr) = run.end(within: 5)
        try input.fileHandleForWriting.close()
        XCTAssertTrue(finished, "waited for the end of a stdin that never ends")
        XCTAssertEqual(run.process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(run.process.terminationStatus, SIGTERM)
        XCTAssertFalse(stderr.contains("attempt 1"), "the command must not start after the signal: \(stderr)")
    }

    func testAStalledReaderDoesNotHoldUpSIGTERM() throws {
        // The reader of retry's stdout (this test) never reads: the relay
        // blocks in its wait to write, and must give up when told to stop.
        // The handshake is a file, not a line on stderr: the relay serves
        // both streams in turn, so a line on stderr can wait behind stdout.
        let output = Pipe(), ready = directory + "/ready"
        let run = try Run(["--retry-if-output", "zzz", "--", "sh", "-c", "touch \"$0\"; exec yes", ready], stdout: output, environment: environment)
        let giveUp = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready), Date() < giveUp { usleep(5_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: ready), "the command started")
        kill(run.process.processIdentifier, SIGTERM)
        let (finished, _) = run.end(within: 5)
        XCTAssertTrue(finished, "retry waited on a relay blocked in write")
        XCTAssertEqual(run.process.terminationStatus, SIGTERM)
        try output.fileHandleForReading.close()
    }

    func testACatastrophicPatternIsAbandonedWithAClearError() throws {
        let run = try Run(["--retry-if-output", "(x+x+)+y", "-n", "3", "-b", "0", "--", "sh", "-c", "printf '%060d\\n' 0 | tr 0 x"], environment: environment)
        let (finished, stderr) = run.end(within: 20)
        XCTAssertTrue(finished, "the pattern backtracked without a limit")
        XCTAssertEqual(run.process.terminationStatus, 125)
        XCTAssertTrue(stderr.hasPrefix("retry: giving up: --retry-if-output '(x+x+)+y' needed too much work on one line"), stderr)
        XCTAssertEqual(stderr.split(separator: "\n").count, 1, stderr)
    }

    func testASignalDuringTheStateLockWaitStopsAtOnce() throws {
        let breaker = directory + "/breaker", marker = directory + "/ran"
        let holder = open(breaker + ".lock", O_RDWR | O_CREAT, 0o600)
        defer { close(holder) }
        XCTAssertEqual(flock(holder, LOCK_EX), 0)
        let run = try Run(["--breaker", breaker, "--", "touch", marker], environment: environment)
        kill(run.process.processIdentifier, SIGTERM)
        let (finished, stderr) = run.end(within: 5)
        XCTAssertTrue(finished, "the lock wait held the signal up")
        XCTAssertEqual(run.process.terminationStatus, SIGTERM, stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the command must not start after the signal")
    }

    func testAnEarlySIGQUITIsNeverACrashReport() throws {
        for _ in 0..<20 {
            let run = try Run(["--", "sleep", "5"], environment: environment)
            kill(run.process.processIdentifier, SIGQUIT)
            let (finished, stderr) = run.end(within: 10)
            XCTAssertTrue(finished)
            XCTAssertFalse(stderr.contains("Backtrac") || stderr.contains("Crash"), stderr)
            XCTAssertEqual(run.process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(run.process.terminationStatus, SIGQUIT)
        }
    }

    func testTooFewFileDescriptorsIsAClearError() throws {
        let run = try Run(["--", "true"], script: "ulimit -n 16; exec \"$@\"", environment: environment)
        let (_, stderr) = run.end(within: 10)
        XCTAssertEqual(run.process.terminationStatus, 125)
        XCTAssertTrue(stderr.hasPrefix("retry: too few file descriptors: the limit is 16 (ulimit -n)"), stderr)
    }

    func testADescriptorAboveTheLimitDoesNotStopTheCommand() throws {
        // fd 60 is open, the limit is 50: Foundation refused to spawn
        // ("Bad file descriptor", 126) until retry closed it.
        let run = try Run(["--hold-output", "--", "true"], script: "exec bash -c 'exec 60</dev/null; ulimit -n 50; exec \"$@\"' bash \"$@\"", environment: environment)
        let (_, stderr) = run.end(within: 10)
        XCTAssertEqual(run.process.terminationStatus, 0, stderr)
    }

    func testASmallStackLimitIsAClearError() throws {
        let run = try Run(["--", "true"], script: "ulimit -s 64; exec \"$@\"", environment: environment)
        let (_, stderr) = run.end(within: 10)
        XCTAssertEqual(run.process.terminationStatus, 125)
        XCTAssertEqual(stderr, "retry: the stack size limit (ulimit -s 64) is too small; retry needs at least 256 KiB (ulimit -s 256)\n")
    }

    func testALowAddressSpaceLimitStillRuns() throws {
        try XCTSkipIf(RetryBinary.underAddressSanitizer, "AddressSanitizer cannot start under ulimit -v")
        // Dispatch retried for ever to make a thread under `ulimit -v`.
        let output = Pipe()
        let run = try Run(["-n", "2", "--retry-if-output", "zzz", "--", "echo", "hi"], stdout: output, script: "ulimit -v 150000; exec \"$@\"", environment: environment)
        let (finished, stderr) = run.end(within: 20)
        XCTAssertTrue(finished, "a thread that could not be made was waited for")
        // Whether Foundation's own thread (an 8 MiB stack) still fits
        // depends on where the kernel maps things: it works, or says why.
        if run.process.terminationStatus == 0 {
            XCTAssertEqual(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "hi\n")
        } else {
            XCTAssertEqual(run.process.terminationStatus, 125, stderr)
            XCTAssertTrue(stderr.contains("(is ulimit -u or ulimit -v too low?)"), stderr)
        }
    }

    func testLeftoversOfKilledStateWritersAreRemoved() throws {
        // A writer SIGKILLed between its write and its rename leaves
        // `.NAME.tmp-PID`; the next run removes it under the lock.
        let breaker = directory + "/breaker"
        let dead = try XCTUnwrap((100_000..<4_000_000).lazy.map(Int32.init).first { kill($0, 0) == -1 && errno == ESRCH })
        let leftover = directory + "/.breaker.tmp-\(dead)"
        XCTAssertTrue(FileManager.default.createFile(atPath: leftover, contents: Data("x".utf8)))
        let run = try Run(["--breaker", breaker, "--", "true"], environment: environment)
        let (_, stderr) = run.end(within: 10)
        XCTAssertEqual(run.process.terminationStatus, 0, stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["breaker", "breaker.lock"])
    }

    func testConcurrentRunsNeverTakeTheBreakerAndQuotaForOneFile() throws {
        // Identities read by separate stat calls, while other runs renamed
        // new states into place, could meet a reused inode: a spurious 125.
        let arguments = ["--breaker", directory + "/breaker", "--quota", directory + "/quota", "-n", "2", "-b", "0", "--", "false"]
        for _ in 0..<20 {
            let runs = try (0..<8).map { _ in try Run(arguments, environment: environment) }
            for run in runs {
                let (finished, stderr) = run.end(within: 20)
                XCTAssertTrue(finished)
                XCTAssertFalse(stderr.contains("share a file"), stderr)
                XCTAssertNotEqual(run.process.terminationStatus, 125, stderr)
            }
        }
    }
}
