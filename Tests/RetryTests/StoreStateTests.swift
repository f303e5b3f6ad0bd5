import Foundation
import RetryCore
import XCTest

/// `--show-state` and `--reset-state`: an operator reads and resets the
/// breaker and quota, in state files and in Redis.
final class StoreStateTests: XCTestCase {
    var redis: TestRedisServer?
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        redis?.stop()
        redis = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The stores of `breaker` and `quota` after one run that opened the
    /// breaker (threshold 1) and paid two retries from a quota of 10.
    func exhaust(breaker: String, quota: String) throws -> [String] {
        let stores = ["--breaker", breaker, "--breaker-threshold", "1", "--breaker-cooldown", "1h", "--quota", quota, "--quota-size", "10"]
        let run = try RetryBinary.run(["-q", "-n", "5", "-b", "0"] + stores + ["sh", "-c", "exit 3"])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(try RetryBinary.run(["-n", "1"] + stores + ["true"]).status, 75, "the breaker is open")
        return stores
    }

    func checkShowAndReset(breaker: String, quota: String) throws {
        let stores = try exhaust(breaker: breaker, quota: quota)
        let shown = try RetryBinary.run(["--show-state"] + stores)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertEqual(shown.stderr, "")
        XCTAssertEqual(shown.stdout.split(separator: "\n").count, 2, shown.stdout)
        XCTAssertNotNil(shown.stdout.firstMatch(of: try Regex("^breaker \(NSRegularExpression.escapedPattern(for: breaker)): open, 1 failed run in a row, next trial at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ; 1 run recorded, 1 failed\n").anchorsMatchLineEndings()), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("quota \(quota): 0 of 10 tokens; a retry costs 5, 10 after a timeout; 2 retries taken, 1 refused, 0 tokens refunded\n"), shown.stdout)

        let json = try RetryBinary.run(["--show-state", "--log-format", "json"] + stores + ["--", "the", "cron", "command"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let objects = try json.stdout.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(objects.count, 2)
        XCTAssertEqual(objects[0]["event"] as? String, "store-state")
        XCTAssertEqual(objects[0]["location"] as? String, breaker)
        XCTAssertEqual(objects[0]["phase"] as? String, "open")
        XCTAssertEqual(objects[0]["consecutive_failures"] as? Int, 1)
        XCTAssertNotNil(objects[0]["next_trial_at"] as? String)
        XCTAssertEqual(objects[1]["store"] as? String, "quota")
        XCTAssertEqual(objects[1]["tokens"] as? Int, 0)
        XCTAssertEqual(objects[1]["retries_taken"] as? Int, 2)

        let reset = try RetryBinary.run(["--reset-state"] + stores)
        XCTAssertEqual(reset.status, 0, reset.stderr)
        XCTAssertEqual(reset.stderrLines, [])
        let lines = reset.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, reset.stdout)
        XCTAssertNotNil(lines[0].wholeMatch(of: try Regex("breaker \(NSRegularExpression.escapedPattern(for: breaker)): reset to closed; it was open, 1 failed run in a row, next trial at \\S+Z")), lines[0])
        XCTAssertEqual(lines[1], "quota \(quota): refilled to 10 of 10 tokens; it had 0")

        let afterReset = try RetryBinary.run(["--show-state"] + stores)
        XCTAssertEqual(afterReset.stdout, """
            breaker \(breaker): closed, 0 failed runs in a row (--breaker-threshold 1 opens it); 1 run recorded, 1 failed
            quota \(quota): 10 of 10 tokens; a retry costs 5, 10 after a timeout; 2 retries taken, 1 refused, 0 tokens refunded

            """)
        // The next run goes through and may retry again.
        let marker = directory + "/ran"
        let after = try RetryBinary.run(["-q", "-n", "3", "-b", "0"] + stores + ["sh", "-c", "echo >> \(marker); exit 1"])
        XCTAssertEqual(after.status, 1)
        XCTAssertEqual(try String(contentsOfFile: marker, encoding: .utf8), "\n\n\n", "the quota paid two retries again")
        let again = try RetryBinary.run(["--show-state"] + stores)
        XCTAssertTrue(again.stdout.hasPrefix("breaker \(breaker): open, 1 failed run in a row"), "the totals were kept: \(again.stdout)")
        XCTAssertTrue(again.stdout.contains("2 runs recorded, 2 failed"), again.stdout)
    }

    func testAnOperatorReadsAndResetsStateFiles() throws {
        try checkShowAndReset(breaker: directory + "/api.breaker", quota: directory + "/api.quota")
    }

    func testAnOperatorReadsAndResetsRedis() throws {
        let redis = try TestRedisServer()
        self.redis = redis
        try checkShowAndReset(breaker: redis.url("api:breaker"), quota: redis.url("api:quota"))
    }

    func testAResetClearsARetryAfterHoldAndATrialLease() throws {
        let redis = try TestRedisServer()
        self.redis = redis
        let breaker = ["--breaker", redis.url("b")]
        XCTAssertEqual(try RetryBinary.run(["-q", "-n", "1"] + breaker + ["false"]).status, 1)
        let until = String(format: "%.3f", Date().timeIntervalSince1970 + 3600)
        _ = try redis.command(["HSET", "b", "phase", "half-open", "retry-after-until", until,
                               "trial-lease", "web-7:4242:9f", "trial-expires", until])
        let shown = try RetryBinary.run(["--show-state"] + breaker)
        XCTAssertTrue(shown.stdout.contains("; a server's Retry-After holds attempts until "), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("; the trial run is web-7:4242:9f (its lease ends at "), shown.stdout)
        let json = try RetryBinary.run(["--show-state", "--log-format", "json"] + breaker)
        XCTAssertTrue(json.stdout.contains(#""trial_holder":"web-7:4242:9f (its lease ends at "#), json.stdout)
        XCTAssertTrue(json.stdout.contains(#""retry_after_until":"20"#), json.stdout)
        let reset = try RetryBinary.run(["--reset-state"] + breaker)
        XCTAssertTrue(reset.stdout.hasPrefix("breaker \(redis.url("b")): reset to closed; it was half-open, 1 failed run in a row, the trial run web-7:4242:9f"), reset.stdout)
        XCTAssertTrue(reset.stdout.contains(", a Retry-After holding attempts until "), reset.stdout)
        let state = try redis.hash("b")
        XCTAssertEqual(state["phase"], "closed")
        XCTAssertEqual(state["trial-lease"], "")
        XCTAssertEqual(state["retry-after-until"], "0.000")
        XCTAssertEqual(state["runs"], "1", "totals kept")
        XCTAssertEqual(try RetryBinary.run(["--budget", "10s"] + breaker + ["true"]).status, 0, "no hold left")
    }

    func checkPace(_ pace: String, hold: () throws -> Void) throws {
        let paced = ["--pace", pace, "--rate", "1/h"]
        XCTAssertEqual(try RetryBinary.run(["-q", "-n", "1"] + paced + ["true"]).status, 0)
        let held = try RetryBinary.run(["-n", "1", "--budget", "2s"] + paced + ["true"])
        XCTAssertEqual(held.status, 75, "the next slot is an hour away: \(held.stderr)")
        try hold()
        let shown = try RetryBinary.run(["--show-state"] + paced)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.hasPrefix("pace \(pace): at most 1/h (one slot every 1h); the next free slot is in "), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("; a server's Retry-After holds attempts until "), shown.stdout)
        XCTAssertTrue(shown.stdout.hasSuffix("; 1 slot given\n"), shown.stdout)
        let json = try RetryBinary.run(["--show-state", "--log-format", "json"] + paced)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["store"] as? String, "pace")
        XCTAssertEqual(object["rate"] as? String, "1/h")
        XCTAssertNotNil(object["next_slot_at"] as? String)
        XCTAssertNotNil(object["hold_until"] as? String)
        let reset = try RetryBinary.run(["--reset-state"] + paced)
        XCTAssertEqual(reset.status, 0, reset.stderr)
        XCTAssertNotNil(reset.stdout.wholeMatch(of: try Regex("pace \(NSRegularExpression.escapedPattern(for: pace)): reset: no hold, a slot free now; it had a Retry-After hold until \\S+Z and the next free slot in \\S+\n")), reset.stdout)
        XCTAssertEqual(try RetryBinary.run(["--show-state"] + paced).stdout, "pace \(pace): at most 1/h (one slot every 1h); 1 slot given\n")
        XCTAssertEqual(try RetryBinary.run(["-n", "1", "--budget", "2s"] + paced + ["true"]).status, 0, "a slot is free at once")
    }

    func testAnOperatorReadsAndResetsAPaceFile() throws {
        let path = directory + "/api.pace"
        try checkPace(path) {
            // A server's Retry-After, as a run that got one would record it.
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let until = String(format: "%.3f", Date().timeIntervalSince1970 + 1800)
            try text.replacingOccurrences(of: "hold 0.000", with: "hold \(until)").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    func testAnOperatorReadsAndResetsAPaceInRedis() throws {
        let redis = try TestRedisServer()
        self.redis = redis
        try checkPace(redis.url("api:pace")) {
            _ = try redis.command(["HSET", "api:pace", "hold", String(format: "%.3f", Date().timeIntervalSince1970 + 1800)])
        }
    }

    func testNothingIsCreatedWhereThereIsNoState() throws {
        let shown = try RetryBinary.run("--show-state", "--breaker", directory + "/b", "--quota", directory + "/q")
        XCTAssertEqual(shown.status, 0)
        XCTAssertEqual(shown.stdout, """
            breaker \(directory)/b: closed, 0 failed runs in a row (--breaker-threshold 5 opens it), no state yet
            quota \(directory)/q: 500 of 500 tokens; a retry costs 5, 10 after a timeout; no state yet

            """)
        let reset = try RetryBinary.run("--reset-state", "--breaker", directory + "/b", "--quota", directory + "/q")
        XCTAssertEqual(reset.stdout, """
            breaker \(directory)/b: no state yet, so closed already; nothing to reset
            quota \(directory)/q: no state yet, so full already; nothing to reset

            """)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasSuffix(".lock") }, [])
    }

    func testAStoreThatCannotBeReadIsStatus125() throws {
        let port = try freeLoopbackPort()
        let shown = try RetryBinary.run("--show-state", "--breaker", "redis://127.0.0.1:\(port)/b")
        XCTAssertEqual(shown.status, 125)
        XCTAssertEqual(shown.stdout, "")
        XCTAssertEqual(shown.stderr, "retry: redis://127.0.0.1:\(port)/b: cannot use Redis: cannot connect: connection refused\n")
        let json = try RetryBinary.run("--reset-state", "--log-format", "json", "--breaker", "redis://127.0.0.1:\(port)/b")
        XCTAssertEqual(json.status, 125)
        XCTAssertTrue(json.stderr.contains(#""event":"warning""#), json.stderr)
    }

    func testStateOptionsNeedAStoreAndNoOtherAction() throws {
        for (arguments, message) in [
            (["--show-state"], "retry: --show-state needs a store: --breaker, --quota or --pace, each PATH|URL\n"),
            (["--reset-state", "--dry-run", "--quota", directory + "/q"], "retry: --reset-state and --dry-run both run nothing; keep one\n"),
            (["--show-state", "--reset-state", "--quota", directory + "/q"], "retry: --show-state and --reset-state contradict each other; keep one\n"),
        ] {
            let result = try RetryBinary.run(arguments)
            XCTAssertEqual(result.status, 125, "\(arguments)")
            XCTAssertEqual(result.stderr, message)
        }
    }
}
