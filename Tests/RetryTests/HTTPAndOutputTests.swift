import Foundation
import XCTest

/// `--http` against a real server with the real curl, the output patterns,
/// `--stdin replay` and `--hold-output`, as the built binary does them.
final class HTTPAndOutputTests: XCTestCase {
    var server: TestHTTPServer!

    override func setUpWithError() throws {
        try XCTSkipIf(!FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "curl is not installed")
        server = try TestHTTPServer()
    }

    override func tearDown() {
        server = nil
    }

    /// `retry --http … -- curl -sS -D /dev/stderr URL`, the headline use.
    func curl(_ options: [String], _ path: String) throws -> RetryBinary.Result {
        try RetryBinary.run(["--http", "-b", "0"] + options + ["--", "curl", "-sS", "-D", "/dev/stderr", server.url(path)])
    }

    func testServiceUnavailableTwiceThenOKSucceeds() throws {
        let result = try curl([], "/a?codes=503,503,200")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "answer 1 of /a\nanswer 2 of /a\nanswer 3 of /a\n", "each attempt's body passes through")
        XCTAssertEqual(result.stderrLines.filter { $0.hasPrefix("retry: attempt") }.count, 2)
        XCTAssertTrue(result.stderr.contains("retry: attempt 1/5 got HTTP 503 (exit status 0); next in 0ms"), result.stderr)
    }

    func testNotFoundIsNotRetried() throws {
        let result = try curl([], "/b?codes=404")
        XCTAssertEqual(result.status, 1, "curl said 0; a failure is never 0")
        XCTAssertEqual(result.stdout, "answer 1 of /b\n")
        XCTAssertEqual(result.stderrLines.last, "retry: not retrying: HTTP 404 is not a transient status (see --retry-on-http); exit status 1")
    }

    func testTooManyRequestsWithoutFailIsRetried() throws {
        let result = try curl([], "/c?codes=429,200")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 2)
    }

    func testRetryAfterSecondsIsHonoured() throws {
        let started = Date()
        let result = try curl([], "/d?codes=503,200&retry_after=1")
        XCTAssertEqual(result.status, 0)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1, "the server asked for 1s; base is 0")
        XCTAssertTrue(result.stderr.contains("retry: the server asked to wait 1s (Retry-After)"), result.stderr)
    }

    /// Retry-After is a floor: the sleep is the 1 s asked plus a spread
    /// below 1 s more, the JSON `sleep` event says it came from Retry-After,
    /// and the same --seed draws the same spread.
    func testRetryAfterIsAFloorWithASeededSpread() throws {
        func sleep(_ path: String) throws -> [String: Any] {
            let result = try curl(["--seed", "11", "--log-format", "json"], path)
            XCTAssertEqual(result.status, 0, result.stderr)
            let objects = result.stderrLines.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
            return try XCTUnwrap(objects.first { $0["event"] as? String == "sleep" }, result.stderr)
        }
        let first = try sleep("/g?codes=429,200&retry_after=1")
        let second = try sleep("/h?codes=429,200&retry_after=1")
        XCTAssertEqual(first["reason"] as? String, "retry-after")
        let delay = try XCTUnwrap(first["delay_ms"] as? Double)
        // Seed 11 draws a spread well inside (0, 1 s): strictly more than
        // the floor, so a wait of exactly the Retry-After fails here.
        XCTAssertGreaterThan(delay, 1000)
        XCTAssertLessThan(delay, 2000)
        XCTAssertEqual(second["delay_ms"] as? Double, delay, "the same --seed draws the same spread")
    }

    func testRetryAfterHTTPDateIsHonoured() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(2)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let started = Date()
        let result = try curl([], "/e?codes=503,200&retry_after=\(date)")
        XCTAssertEqual(result.status, 0, result.stderr)
        // A whole-second date two seconds ahead asks for more than one second.
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("(Retry-After)"), result.stderr)
    }

    func testARetryAfterBeyondTheBudgetGivesUpAtOnce() throws {
        let started = Date()
        let result = try curl(["--budget", "20s"], "/f?codes=503&retry_after=120")
        XCTAssertEqual(result.status, 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "safety net: it must not wait")
        XCTAssertEqual(result.stderrLines.last, "retry: giving up: the server asked to wait 2m (Retry-After), past the --budget of 20s; exit status 1")
    }

    /// `curl -w '%{http_code}'` prints the code alone: --http cannot see it.
    func testHTTPWithoutHeadersSaysHowToShowThemOnce() throws {
        let arguments = ["--http", "-b", "0", "-n", "2", "--", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\n", server.url("/w?codes=503,503")]
        let result = try RetryBinary.run(arguments)
        XCTAssertEqual(result.status, 0, "the 503 passes for a success, as the warning says")
        XCTAssertEqual(result.stdout, "503\n")
        XCTAssertEqual(result.stderrLines, ["retry: --http: attempt 1/2 printed no HTTP response, so its exit status 0 decided; "
                                            + "have curl print the headers with -i, -D - or -D /dev/stderr"])
        let quiet = try RetryBinary.run(["-q"] + arguments)
        XCTAssertEqual(quiet.stderr, "")
        let headers = try curl([], "/h?codes=200")
        XCTAssertFalse(headers.stderr.contains("retry: --http"), headers.stderr)
    }

    func testRetryIfOutputRetriesEvenAStatus0() throws {
        let result = try RetryBinary.run("-b", "0", "-n", "3", "--retry-if-output", "try again|busy", "sh", "-c",
                                         "echo attempt $RETRY_ATTEMPT; [ $RETRY_ATTEMPT -ge 2 ] || echo 'server busy' >&2")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "attempt 1\nattempt 2\n")
        XCTAssertTrue(result.stderr.contains("retry: attempt 1/3 printed a match for --retry-if-output (exit status 0)"), result.stderr)
    }

    /// The apt-get case: retry only when it says the lock is taken.
    func testRetryIfOutputRetriesEvenAStopOnStatus() throws {
        let script = "[ $RETRY_ATTEMPT -ge 2 ] && exit 0; echo 'E: Could not get lock /var/lib/dpkg/lock-frontend' >&2; exit 100"
        let locked = try RetryBinary.run("-b", "0", "--stop-on", "1-255", "--retry-if-output", "Could not get lock", "sh", "-c", script)
        XCTAssertEqual(locked.status, 0, locked.stderr)
        XCTAssertTrue(locked.stderr.contains("retry: attempt 1/5 printed a match for --retry-if-output (exit status 100)"), locked.stderr)
        let other = try RetryBinary.run("-b", "0", "--stop-on", "1-255", "--retry-if-output", "Could not get lock", "sh", "-c",
                                        "echo 'E: Unable to locate package nosuch' >&2; exit 100")
        XCTAssertEqual(other.status, 100)
        XCTAssertEqual(other.stderrLines.last, "retry: not retrying: exit status 100 is in --stop-on; exit status 100")
    }

    func testStopIfOutputEndsTheRunWithTheStatus() throws {
        let result = try RetryBinary.run("-b", "0", "--stop-if-output", "^fatal:", "sh", "-c", "echo 'fatal: repository not found' >&2; exit 128")
        XCTAssertEqual(result.status, 128)
        XCTAssertEqual(result.stderrLines.last, "retry: not retrying: the output matched --stop-if-output; exit status 128")
    }

    func testABadRegexIsAUsageError() throws {
        let result = try RetryBinary.run("--retry-if-output", "(unclosed", "true")
        XCTAssertEqual(result.status, 125)
        XCTAssertEqual(result.stderr, "retry: --retry-if-output: '(unclosed': invalid regular expression: expected ')'\n")
    }

    func testEveryAttemptReadsTheSameReplayedStdin() throws {
        let result = try RetryBinary.run(["--stdin", "replay", "-n", "3", "-b", "0", "sh", "-c", "cat; echo; exit 1"], input: "the same bytes")
        XCTAssertEqual(result.stdout, "the same bytes\nthe same bytes\nthe same bytes\n")
        let inherited = try RetryBinary.run(["-n", "3", "-b", "0", "sh", "-c", "cat; echo; exit 1"], input: "only once")
        XCTAssertEqual(inherited.stdout, "only once\n\n\n", "by default the first attempt reads it")
    }

    func testHeldOutputShowsOnlyTheSuccessfulAttempt() throws {
        let result = try RetryBinary.run("--hold-output", "-b", "0", "sh", "-c", "echo attempt $RETRY_ATTEMPT; echo err $RETRY_ATTEMPT >&2; [ $RETRY_ATTEMPT -ge 3 ]")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "attempt 3\n")
        XCTAssertTrue(result.stderr.contains("err 1\n") && result.stderr.contains("err 3\n"), "stderr is never held")
        let failed = try RetryBinary.run("--hold-output", "-n", "2", "-b", "0", "sh", "-c", "echo attempt $RETRY_ATTEMPT; exit 1")
        XCTAssertEqual(failed.stdout, "", "no attempt succeeded, so none is shown")
    }

    func testScanningPassesEveryByteThroughUnchanged() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bytes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // Every byte value, in a fixed pseudo-random order, with no 'z': the
        // pattern must never match, or the attempt would be made again.
        var state: UInt32 = 2_463_534_242
        let bytes = Data((0..<300_000).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            let byte = UInt8(truncatingIfNeeded: state)
            return byte == UInt8(ascii: "z") ? 0 : byte
        })
        try bytes.write(to: URL(fileURLWithPath: file))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RetryBinary.path)
        process.arguments = ["--retry-if-output", "zz(z)", "--http", "cat", file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let copied = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(copied, bytes)
    }

    func testABackgroundProcessHoldingThePipesDoesNotHoldTheRun() throws {
        let started = Date()
        let result = try RetryBinary.runWithoutInheritedDescriptors(["--retry-if-output", "x", "sh", "-c", "sleep 30 & echo $!; exit 0"])
        XCTAssertEqual(result.status, 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, "safety net; expected well under a second")
        if let pid = Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
    }

    /// A slow reader must still get every byte the command wrote before it
    /// exited, however long the grace for the streams to end.
    func testASlowReaderGetsEveryByte() throws {
        let result = try RetryBinary.run("sh", "-c", "\(RetryBinary.path) --retry-if-output QQQ -- sh -c 'head -c 300000 /dev/zero' | (sleep 1; wc -c)")
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "300000")
    }
}
