import Foundation
import XCTest

/// A reader of `retry`'s stdout or stderr that takes nothing: `retry` still
/// obeys a signal at once (128+N), gives up held output after the idle
/// limit, and never lets one stream wait behind the other.
final class StalledReaderTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stalled-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertEqual(left, [], "retry's spools leave nothing in TMPDIR")
        try FileManager.default.removeItem(atPath: directory)
    }

    var environment: [String: String] { RetryBinary.environment(["TMPDIR": directory, "PATH": "/usr/bin:/bin"]) }

    /// Waits (at most 10 s) until `pipe` holds at least `bytes` unread bytes:
    /// the writer is then blocked, or about to be.
    func waitUntilFull(_ pipe: Pipe, bytes: Int32 = 65_536, within seconds: Double = 10) -> Bool {
        let fd = pipe.fileHandleForReading.fileDescriptor
        let giveUp = Date().addingTimeInterval(seconds)
        var unread: Int32 = 0
        while Date() < giveUp {
            _ = ioctl(fd, UInt(FIONREAD), &unread)
            if unread >= bytes { return true }
            usleep(2_000)
        }
        return false
    }

    func testASignalEndsRetryWhileItsStderrIsFull() throws {
        let cases: [(String, [String])] = [
            ("the command filled the inherited stderr", ["--", "sh", "-c", "head -c 70000 /dev/zero >&2; exec sleep 100"]),
            ("retry's own messages filled it", ["-v", "-n", "100000", "-b", "0ms", "--", "false"]),
            ("the relayed stderr filled it", ["--retry-if-output", "zzz", "--", "sh", "-c", "exec yes >&2"]),
        ]
        for (name, arguments) in cases {
            let run = try HostileConditionsTests.Run(arguments, environment: environment)
            // Lines of some 45 bytes fill the pipe's 4 KiB pages unevenly:
            // 16 pages full of them hold a little less than 64 KiB.
            // Some 700 attempts fill it: a few seconds on a busy machine.
            XCTAssertTrue(waitUntilFull(run.stderr, bytes: 62_000, within: 60), "\(name): stderr filled up")
            let sent = Date()
            kill(run.process.processIdentifier, SIGTERM)
            // Nothing reads stderr until retry has ended (or the deadline).
            let (finished, _) = run.end(within: 5)
            XCTAssertTrue(finished, "\(name): retry hung in a write to its stderr after SIGTERM")
            XCTAssertEqual(run.process.terminationReason, .uncaughtSignal, name)
            XCTAssertEqual(run.process.terminationStatus, SIGTERM, name)
            XCTAssertLessThan(Date().timeIntervalSince(sent), 3, name)
        }
    }

    func testASignalWhileHeldOutputIsPublishedEndsWith128PlusN() throws {
        let stdout = Pipe()
        let run = try HostileConditionsTests.Run(["--hold-output", "--", "head", "-c", "3000000", "/dev/zero"],
                                                 stdout: stdout, environment: environment)
        XCTAssertTrue(waitUntilFull(stdout), "publishing started")
        kill(run.process.processIdentifier, SIGTERM)
        let (finished, stderr) = run.end(within: 5)
        try stdout.fileHandleForReading.close()
        XCTAssertTrue(finished, "publishing held up the signal")
        XCTAssertEqual(run.process.terminationReason, .uncaughtSignal, stderr)
        XCTAssertEqual(run.process.terminationStatus, SIGTERM, stderr)
        XCTAssertFalse(stderr.contains("exit status 125"), stderr)
    }

    func testAReaderOfHeldOutputIdleFor10SecondsIsGivenUp() throws {
        // Takes the idle limit (10 s) once: the limit is the man page's,
        // and a knob only for the test would be one more thing to document.
        let stdout = Pipe()
        let run = try HostileConditionsTests.Run(["--hold-output", "--", "head", "-c", "3000000", "/dev/zero"],
                                                 stdout: stdout, environment: environment)
        XCTAssertTrue(waitUntilFull(stdout), "publishing started")
        let full = Date()
        let (finished, stderr) = run.end(within: 20)
        let waited = Date().timeIntervalSince(full)
        try stdout.fileHandleForReading.close()
        XCTAssertTrue(finished, "a reader that takes nothing was waited for without end")
        XCTAssertEqual(run.process.terminationReason, .exit, stderr)
        XCTAssertEqual(run.process.terminationStatus, 125, stderr)
        XCTAssertEqual(stderr, "retry: giving up: the reader of the held output took nothing for 10s; the rest of it was dropped; exit status 125\n")
        XCTAssertGreaterThan(waited, 9)
    }

    /// Reads `fd` until it holds `lines` lines or `seconds` pass.
    func readLines(_ fd: Int32, count lines: Int, within seconds: Double) -> [String] {
        var data = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
        let giveUp = Date().addingTimeInterval(seconds)
        while data.filter({ $0 == 10 }).count < lines, Date() < giveUp {
            var polled = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&polled, 1, 50) >= 0 else { break }
            if polled.revents == 0 { continue }
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            data += buffer[..<count]
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testStderrFlowsWhileStdoutIsStalled() throws {
        for options in [["--retry-if-output", "zzz"], ["--http"]] {
            let stdout = Pipe(), go = directory + "/go"
            // The command fills stdout in the background, then, once the
            // test has seen stdout stall, writes 20 lines to stderr.
            let script = "head -c 3000000 /dev/zero & i=0; while [ ! -e \"$0\" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done; "
                + "for i in $(seq 20); do echo err$i >&2; done; wait"
            let run = try HostileConditionsTests.Run(options + ["--", "sh", "-c", script, go], stdout: stdout, environment: environment)
            XCTAssertTrue(waitUntilFull(stdout), "\(options): stdout stalled")
            XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil))
            let lines = readLines(run.stderr.fileHandleForReading.fileDescriptor, count: 20, within: 5)
            XCTAssertEqual(lines, (1...20).map { "err\($0)" }, "\(options): stderr waited behind a stalled stdout")
            try stdout.fileHandleForReading.close()
            let (finished, _) = run.end(within: 10)
            XCTAssertTrue(finished, "\(options)")
            try FileManager.default.removeItem(atPath: go)
        }
    }
}
