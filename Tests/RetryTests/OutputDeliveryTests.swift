import Foundation
import XCTest

/// Output that passes through `retry` (`--hold-output`, `--http`, the
/// output patterns) reaches its reader whole, or the run fails and says so.
final class OutputDeliveryTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertEqual(left, [], "retry's spools leave nothing in TMPDIR")
        try FileManager.default.removeItem(atPath: directory)
    }

    /// The options that make the output pass through `retry`.
    static let relaying: [[String]] = [["--hold-output"], ["--retry-if-output", "zzz"], ["--http"]]

    func testAFullStdoutFailsTheRunWith125AndSaysWhy() throws {
        for options in Self.relaying {
            let result = try shellRun("exec \"$@\" >/dev/full", options + ["-n", "3", "-b", "0", "--", "echo", "hello"])
            XCTAssertEqual(result.status, 125, "\(options): plain echo exits 1 here; retry must not say 0")
            // --http adds its advice for a command that printed no response.
            XCTAssertEqual(result.stderrLines.filter { !$0.contains("printed no HTTP response") }.count, 1, "\(options): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasSuffix("stdout: no space left on device; exit status 125\n"), "\(options): \(result.stderr)")
        }
    }

    func testAClosedStdoutFailsTheRunWith125() throws {
        for options in Self.relaying {
            let result = try shellRun("exec \"$@\" >&-", options + ["-n", "3", "-b", "0", "--", "echo", "hello"])
            XCTAssertEqual(result.status, 125, "\(options)")
            XCTAssertTrue(result.stderr.contains("bad file descriptor; exit status 125"), "\(options): \(result.stderr)")
        }
    }

    func testANonBlockingStdoutPipeGetsEveryByte() throws {
        for options in Self.relaying.prefix(2) {
            var ends: [Int32] = [0, 0]
            XCTAssertEqual(pipe(&ends), 0)
            // Left non-blocking by a parent: writes meet EAGAIN whenever the
            // reader lags, which must be waited out, not taken as the end.
            _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RetryBinary.path)
            process.arguments = options + ["--", "head", "-c", "3000000", "/dev/zero"]
            process.environment = RetryBinary.environment(["TMPDIR": directory, "PATH": "/usr/bin:/bin"])
            process.standardOutput = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
            process.standardError = FileHandle.nullDevice
            try process.run()
            close(ends[1])
            let received = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true).readDataToEndOfFile().count
            process.waitUntilExit()
            XCTAssertEqual(received, 3_000_000, "\(options)")
            XCTAssertEqual(process.terminationStatus, 0, "\(options)")
        }
    }

    func testHeldOutputPastTheHoldLimitFailsAndPublishesNothing() throws {
        // `yes` never ends: the limit stops it (its pipe is closed) instead
        // of filling the disk.
        let result = try shellRun("exec \"$@\"", ["--hold-output", "--hold-limit", "64K", "--", "yes"])
        XCTAssertEqual(result.status, 125)
        XCTAssertEqual(result.stdout, "", "one complete answer or nothing")
        XCTAssertEqual(result.stderrLines, ["retry: giving up: --hold-output: the output passed the --hold-limit of 64KiB; nothing was published (raise --hold-limit); exit status 125"])
    }

    func testAHoldSpoolThatCannotBeWrittenFailsAndPublishesNothing() throws {
        try XCTSkipIf(RetryBinary.underThreadSanitizer, "ThreadSanitizer's runtime cannot start under ulimit -f")
        // A full $TMPDIR as a file-size limit: the spool's write fails with
        // EFBIG (SIGXFSZ would kill retry without a word).
        let result = try shellRun("ulimit -f 100; exec \"$@\"", ["--hold-output", "--hold-limit", "0", "--", "head", "-c", "1000000", "/dev/zero"])
        XCTAssertEqual(result.status, 125)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("retry: giving up: --hold-output: cannot keep the output in \(directory): file too large; nothing was published"), result.stderr)
    }

    func testHeldOutputWithinTheLimitIsPublishedWhole() throws {
        let result = try shellRun("exec \"$@\"", ["--hold-output", "--hold-limit", "1M", "--", "head", "-c", "1048576", "/dev/zero"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.utf8.count, 1_048_576)
    }

    func testABrokenStdoutStopsRetrying() throws {
        // `| head -c 1`: the reader has gone; yes meets the broken pipe as it
        // would without retry, and another attempt could deliver nothing.
        let result = try shellRun("\"$@\" | head -c 1 >/dev/null", ["--retry-if-output", "zzz", "-n", "5", "-b", "0", "--", "sh", "-c", "echo attempt >&2; exec yes"])
        XCTAssertEqual(result.stderrLines.filter { $0 == "attempt" }.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("retry: giving up: the reader of stdout has gone (broken pipe); exit status 141"), result.stderr)
    }

    /// Runs `script` with `sh -c`, retry and `arguments` as "$@", with this
    /// test's TMPDIR.
    func shellRun(_ script: String, _ arguments: [String]) throws -> RetryBinary.Result {
        try RetryBinary.runInShell(script, arguments: arguments,
                                   environment: RetryBinary.environment(["TMPDIR": directory, "PATH": "/usr/bin:/bin"]))
    }
}
