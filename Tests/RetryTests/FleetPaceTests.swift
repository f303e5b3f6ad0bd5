import Foundation
import XCTest

/// `--pace` across concurrent runs of the built binary, in a state file and
/// in Redis. Spacing is asserted on the slots the store gave (the JSON log's
/// `pace` events), not on wall-clock sleeps.
final class FleetPaceTests: XCTestCase {
    var redis: TestRedisServer?
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pace-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        redis?.stop()
        redis = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What curl -i prints for a 429 asking for one second.
    static let tooManyRequests = ["sh", "-c", #"printf 'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n\r\n'"#]

    /// Starts `count` runs of `retry OPTIONS -- true` at once and returns
    /// the slot (epoch ms) each was given, sorted, and the exit statuses.
    func concurrentSlots(_ count: Int, _ options: [String]) throws -> [Int] {
        let script = #"r=$1; shift; n=$1; shift; i=0; while [ $i -lt $n ]; do "$r" "$@" --log-format json -- true & i=$((i+1)); done; s=0; for p in $(jobs -p); do wait $p || s=1; done; exit $s"#
        let result = try RetryBinary.runInShell(script, arguments: [String(count)] + options)
        XCTAssertEqual(result.status, 0, result.stderr)
        let slots = result.stderrLines.compactMap { line -> Int? in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  object["event"] as? String == "pace" else { return nil }
            return (object["slot_ms"] as? NSNumber)?.intValue
        }
        XCTAssertEqual(slots.count, count, result.stderr)
        return slots.sorted()
    }

    func assertSpaced(_ slots: [Int], by interval: Int, file: StaticString = #filePath, line: UInt = #line) {
        for (earlier, later) in zip(slots, slots.dropFirst()) {
            // The store keeps slots to the millisecond: one may round down.
            XCTAssertGreaterThanOrEqual(later - earlier, interval - 1, "slots \(slots)", file: file, line: line)
        }
    }

    func testConcurrentRunsSharingAFileGetSlotsOneIntervalApart() throws {
        let store = directory + "/pace"
        let slots = try concurrentSlots(6, ["--pace", store, "--rate", "20/s"])
        assertSpaced(slots, by: 50)
        let record = try String(contentsOfFile: store, encoding: .utf8)
        XCTAssertTrue(record.hasPrefix("retry-pace 1\n"), record)
        XCTAssertTrue(record.contains("\nslots 6\n"), record)
    }

    func testConcurrentRunsSharingRedisGetSlotsOneIntervalApart() throws {
        let server = try TestRedisServer()
        redis = server
        let slots = try concurrentSlots(6, ["--pace", server.url("pace"), "--rate", "20/s"])
        assertSpaced(slots, by: 50)
        XCTAssertEqual(try server.hash("pace")["slots"], "6")
    }

    /// A 429 with Retry-After holds the pace: the runs after it get slots
    /// from the hold on, one interval apart, not all at the hold.
    func testARetryAfterHoldsThePaceInAFile() throws {
        let store = directory + "/pace"
        try checkHold(store) {
            let text = try String(contentsOfFile: store, encoding: .utf8)
            return text.split(separator: "\n").first { $0.hasPrefix("hold ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
    }

    func testARetryAfterHoldsThePaceInRedis() throws {
        let server = try TestRedisServer()
        redis = server
        try checkHold(server.url("pace")) { try server.hash("pace")["hold"].flatMap(Double.init) }
    }

    func checkHold(_ store: String, hold: () throws -> Double?) throws {
        let throttled = try RetryBinary.run(["--http", "-n", "1", "--pace", store, "--rate", "20/s"] + Self.tooManyRequests)
        XCTAssertEqual(throttled.status, 1, throttled.stderr)
        let until = try XCTUnwrap(try hold(), "the hold was recorded")
        XCTAssertGreaterThan(until, Date().timeIntervalSince1970)
        let slots = try concurrentSlots(3, ["--pace", store, "--rate", "20/s"])
        XCTAssertEqual(slots.first, Int((until * 1000).rounded()), "the first slot is at the hold")
        assertSpaced(slots, by: 50)
    }

    /// Without --rate the store learns one: a 429 cuts it (from one slot
    /// per R, times 0.7), a success adds 1/rate back; with --rate a 429
    /// only holds.
    func testWithoutARateAThrottleCutsTheRateInAFileAndASuccessRaisesIt() throws {
        func field(_ name: String, _ path: String) throws -> String? {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                .first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
        }
        try checkLearning(directory + "/pace", given: directory + "/given", field: field)
    }

    func testWithoutARateAThrottleCutsTheRateInRedisAndASuccessRaisesIt() throws {
        let server = try TestRedisServer()
        redis = server
        try checkLearning(server.url("pace"), given: server.url("given")) { name, url in
            try server.hash(url.hasSuffix("given") ? "given" : "pace")[name]
        }
    }

    func checkLearning(_ store: String, given: String, field: (String, String) throws -> String?) throws {
        let first = try RetryBinary.run("--pace", store, "true")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try field("rate", store), "0.000", "no limit until the first throttle")
        let throttled = try RetryBinary.run(["--http", "-n", "1", "--pace", store] + Self.tooManyRequests)
        XCTAssertEqual(throttled.status, 1, throttled.stderr)
        XCTAssertEqual(try field("rate", store), "0.700", "one slot per R (1 s), cut by 0.7")
        XCTAssertNotEqual(try field("rate-cut-at", store), "0.000")
        let success = try RetryBinary.run("--pace", store, "true")
        XCTAssertEqual(success.status, 0, success.stderr)
        XCTAssertEqual(try field("rate", store), "1.400", "0.7 + min(0.7, 1/0.7)")
        let paced = try RetryBinary.run(["--http", "-n", "1", "--pace", given, "--rate", "20/s"] + Self.tooManyRequests)
        XCTAssertEqual(paced.status, 1, paced.stderr)
        XCTAssertEqual(try field("rate", given), "0.000", "with --rate nothing is learned")
    }

    func testAFirstSlotPastTheBudgetExits75WithoutRunning() throws {
        let store = directory + "/pace"
        let first = try RetryBinary.run("--pace", store, "--rate", "1/m", "true")
        XCTAssertEqual(first.status, 0, first.stderr)
        let marker = directory + "/ran"
        let second = try RetryBinary.run("--pace", store, "--rate", "1/m", "--budget", "2s", "touch", marker)
        XCTAssertEqual(second.status, 75, second.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the command did not run")
        XCTAssertNotNil(second.stderr.wholeMatch(of: /retry: giving up: the next free slot of the --pace is in [0-9.]+s, past the --budget of 2s; not running the command; exit status 75\n/), second.stderr)
    }

    func testPaceOptionsAreCheckedAndDescribed() throws {
        let store = directory + "/pace"
        let bad = try RetryBinary.run("--pace", store, "--rate", "5/d", "true")
        XCTAssertEqual(bad.status, 125)
        XCTAssertEqual(bad.stderr, "retry: --rate: '5/d': expected N/s, N/m or N/h, like 5/s or 5000/h\n")
        let alone = try RetryBinary.run("--rate", "5/s", "true")
        XCTAssertEqual(alone.status, 125)
        let dry = try RetryBinary.run("--dry-run", "--pace", store, "--rate", "5000/h", "true")
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("pace \(store): at most 5000/h (one slot every 720ms), no state yet"), dry.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store), "a dry run creates nothing")
    }
}
