import Foundation
import Synchronization
import XCTest

/// The circuit breaker and the retry quota across real runs sharing files.
final class BreakerAndQuotaTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("breaker-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The `key value` fields of a state file.
    func fields(_ path: String) throws -> [String: String] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        return Dictionary(uniqueKeysWithValues: lines.map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        })
    }

    func testThresholdFailuresOpenTheBreakerAndTheNextRunDoesNotRunTheCommand() throws {
        let state = directory + "/breaker", marker = directory + "/ran"
        let breaker = ["-q", "-n", "1", "--breaker", state, "--breaker-threshold", "3", "--breaker-cooldown", "1h"]
        for _ in 0..<3 { XCTAssertEqual(try RetryBinary.run(breaker + ["sh", "-c", "exit 1"]).status, 1) }
        XCTAssertEqual(try fields(state)["phase"], "open")
        let refused = try RetryBinary.run(breaker + ["touch", marker])
        XCTAssertEqual(refused.status, 75)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the command did not run")
        XCTAssertNotNil(refused.stderr.wholeMatch(of: /retry: the circuit breaker in .* is open; the next trial is allowed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (1h|59m\d\d(\.\d+)?s)\); not running the command\n/), refused.stderr)
    }

    /// Ends the open breaker's cooldown in its state file, as time would:
    /// a real wait would race a slow start (a sanitizer build).
    func endCooldown(_ state: String) throws {
        let text = try String(contentsOfFile: state, encoding: .utf8)
        let ended = text.replacing(/retry-at [0-9.]+/, with: "retry-at 0.000")
        XCTAssertNotEqual(ended, text, "the state has a retry-at line")
        try ended.write(toFile: state, atomically: true, encoding: .utf8)
    }

    func testAfterTheCooldownOneTrialRunsAndItsResultDecides() throws {
        let state = directory + "/breaker"
        let breaker = ["-q", "-n", "1", "--breaker", state, "--breaker-threshold", "1", "--breaker-cooldown", "1h"]
        XCTAssertEqual(try RetryBinary.run(breaker + ["false"]).status, 1)
        XCTAssertEqual(try RetryBinary.run(breaker + ["true"]).status, 75)
        try endCooldown(state)
        // A failed trial opens it again for a fresh cooldown.
        XCTAssertEqual(try RetryBinary.run(breaker + ["false"]).status, 1)
        XCTAssertEqual(try fields(state)["phase"], "open")
        XCTAssertEqual(try RetryBinary.run(breaker + ["true"]).status, 75)
        try endCooldown(state)
        // A successful trial closes it.
        XCTAssertEqual(try RetryBinary.run(breaker + ["true"]).status, 0)
        XCTAssertEqual(try fields(state)["phase"], "closed")
        XCTAssertEqual(try RetryBinary.run(breaker + ["true"]).status, 0)
    }

    func testConcurrentRunsLoseNoUpdate() throws {
        let breaker = directory + "/breaker", quota = directory + "/quota"
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 50) { index in
            let code = index % 2
            let result = try? RetryBinary.run(["-q", "-n", "2", "-b", "0", "--breaker", breaker, "--breaker-threshold", "1000",
                                               "--quota", quota, "sh", "-c", "exit \(code)"])
            if result?.status != Int32(code) { failures.withLock { $0 += 1 } }
        }
        XCTAssertEqual(failures.withLock { $0 }, 0)
        let state = try fields(breaker)
        XCTAssertEqual(state["runs"], "50")
        XCTAssertEqual(state["failed-runs"], "25")
        // 25 failing runs took one retry each, 5 tokens; what the successes
        // refunded depends on the interleaving (refunds stop at the size),
        // but the file must account for every token.
        let tokens = try fields(quota)
        XCTAssertEqual(tokens["retries-taken"], "25")
        XCTAssertEqual(tokens["retries-refused"], "0")
        let balance = try XCTUnwrap(Int(tokens["balance"] ?? "")), refunded = try XCTUnwrap(Int(tokens["tokens-refunded"] ?? ""))
        let refilled = try XCTUnwrap(Int(tokens["tokens-refilled"] ?? ""))
        XCTAssertEqual(balance, 500 - 25 * 5 + refunded + refilled, "\(tokens)")
        XCTAssertLessThanOrEqual(refunded, 25)
    }

    func testASymlinkedStateFileIsRefusedAndItsTargetUntouched() throws {
        let target = directory + "/target", link = directory + "/link"
        try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        for option in ["--breaker", "--quota"] {
            let result = try RetryBinary.run([option, link, "true"])
            XCTAssertEqual(result.status, 125)
            XCTAssertEqual(result.stderr, "retry: \(link) is a symbolic link; name the file itself\n")
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious\n")
    }

    func testTwoSpellingsOfOneFileAreRefused() throws {
        let state = directory + "/state"
        for (breaker, quota) in [(state, directory + "//state"), (state, state + ".lock")] {
            let result = try RetryBinary.run("--breaker", breaker, "--quota", quota, "true")
            XCTAssertEqual(result.status, 125, "\(breaker) \(quota)")
            XCTAssertTrue(result.stderr.hasSuffix("share a file; give each its own\n"), result.stderr)
        }
    }

    func testDryRunReportsAnUnusablePathLikeARealRun() throws {
        let link = directory + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory + "/target")
        let result = try RetryBinary.run("--dry-run", "--breaker", link, "true")
        XCTAssertEqual(result.status, 125)
        XCTAssertEqual(result.stderr, "retry: \(link) is a symbolic link; name the file itself\n")
    }

    func testACommandThatCannotStartDoesNotOpenTheBreaker() throws {
        let state = directory + "/breaker"
        for _ in 0..<3 {
            XCTAssertEqual(try RetryBinary.run("--breaker", state, "--breaker-threshold", "2", "no-such-command-\(UUID().uuidString)").status, 127)
        }
        XCTAssertEqual(try fields(state)["phase"], "closed")
        XCTAssertEqual(try fields(state)["runs"], "0")
    }

    /// Throttling is not failure: runs that end on a 429 leave the breaker
    /// closed (pacing is the pacer's job); a 503 opens it.
    func testA429IsNoFailedRunForTheBreakerButA503Is() throws {
        let state = directory + "/breaker"
        func ending(on status: String) throws -> Int32 {
            let response = "printf 'HTTP/1.1 \(status)\\r\\nRetry-After: 0\\r\\n\\r\\n'"
            return try RetryBinary.run(["--http", "-n", "1", "--breaker", state, "--breaker-threshold", "2", "sh", "-c", response]).status
        }
        XCTAssertEqual(try ending(on: "429 Too Many Requests"), 1)
        XCTAssertEqual(try ending(on: "429 Too Many Requests"), 1)
        XCTAssertEqual(try fields(state)["phase"], "closed")
        XCTAssertEqual(try fields(state)["consecutive-failures"], "0")
        XCTAssertEqual(try ending(on: "503 Service Unavailable"), 1)
        XCTAssertEqual(try ending(on: "503 Service Unavailable"), 1)
        XCTAssertEqual(try fields(state)["phase"], "open")
    }

    /// An empty quota refills by time: 12 s at --quota-size 500 earn 10
    /// tokens, two retries; without the time, none.
    func testAnEmptyQuotaRefillsOverTime() throws {
        let quota = directory + "/quota"
        func run(refilledSecondsAgo ago: Double) throws -> RetryBinary.Result {
            let at = String(format: "%.3f", Date().timeIntervalSince1970 - ago)
            try "retry-quota 1\nbalance 0\nretries-taken 0\nretries-refused 0\ntokens-refunded 0\nrefilled-at \(at)\n"
                .write(toFile: quota, atomically: false, encoding: .utf8)
            return try RetryBinary.run("--quota", quota, "-n", "4", "-b", "0", "sh", "-c", "exit 3")
        }
        let starved = try run(refilledSecondsAgo: 0)
        XCTAssertEqual(starved.stderrLines.last, "retry: giving up: the --quota has no tokens left for a retry; exit status 3")
        XCTAssertEqual(starved.stderrLines.count, 2, starved.stderr)
        let refilled = try run(refilledSecondsAgo: 12)
        XCTAssertEqual(refilled.stderrLines.count, 4, "two retries paid, the third refused: \(refilled.stderr)")
        XCTAssertEqual(refilled.stderrLines.last, "retry: giving up: the --quota has no tokens left for a retry; exit status 3")
    }

    func testACorruptStateFileIsRecovered() throws {
        let state = directory + "/breaker"
        try "retry-breaker 9\nwhatever\n".write(toFile: state, atomically: false, encoding: .utf8)
        let result = try RetryBinary.run("--breaker", state, "true")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "retry: \(state): the state is corrupt (it does not start with 'retry-breaker 1'); starting afresh\n")
        XCTAssertEqual(try fields(state)["runs"], "1")
    }

    func testStateFilesAreCreatedWithMode0600() throws {
        let breaker = directory + "/breaker", quota = directory + "/quota"
        XCTAssertEqual(try RetryBinary.run("-n", "2", "-b", "0", "--breaker", breaker, "--quota", quota, "sh", "-c", "exit 1").status, 1)
        for path in [breaker, quota, breaker + ".lock", quota + ".lock"] {
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600, path)
        }
    }

    func testAnEmptyQuotaStopsRetries() throws {
        let quota = directory + "/quota"
        let result = try RetryBinary.run("-n", "5", "-b", "0", "--quota", quota, "--quota-size", "12", "sh", "-c", "echo run; exit 1")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "run\nrun\nrun\n", "12 tokens pay for two retries of 5")
        XCTAssertEqual(result.stderrLines.last, "retry: giving up: the --quota has no tokens left for a retry; exit status 1")
        XCTAssertEqual(try fields(quota)["balance"], "2")
        // -q keeps that line: the status alone does not say the quota stopped it.
        let quiet = try RetryBinary.run("-q", "-n", "5", "-b", "0", "--quota", quota, "--quota-size", "12", "sh", "-c", "exit 1")
        XCTAssertEqual(quiet.status, 1)
        XCTAssertEqual(quiet.stderr, "retry: giving up: the --quota has no tokens left for a retry; exit status 1\n")
    }

    func testVerboseAndDryRunShowTheStateWithoutChangingIt() throws {
        let breaker = directory + "/breaker"
        XCTAssertEqual(try RetryBinary.run("-q", "-n", "1", "--breaker", breaker, "false").status, 1)
        let before = try String(contentsOfFile: breaker, encoding: .utf8)
        let dry = try RetryBinary.run("--dry-run", "--breaker", breaker, "--quota", directory + "/quota", "false")
        XCTAssertTrue(dry.stdout.contains("breaker \(breaker): closed, 1 failed run in a row (--breaker-threshold 5 opens it)\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("quota \(directory)/quota: 500 of 500 tokens"), dry.stdout)
        XCTAssertEqual(try String(contentsOfFile: breaker, encoding: .utf8), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/quota"), "--dry-run creates nothing")
        let verbose = try RetryBinary.run("-v", "--breaker", breaker, "true")
        XCTAssertEqual(verbose.stderrLines.first, "retry: breaker \(breaker): closed, 1 failed run in a row (--breaker-threshold 5 opens it)")
    }
}
