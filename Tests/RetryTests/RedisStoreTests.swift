import Foundation
import RetryCore
import Synchronization
import XCTest

/// The breaker and quota in a real Redis (a private server per test), and a
/// server's Retry-After shared through the breaker, in a file and in Redis.
final class RedisStoreTests: XCTestCase {
    var redis: TestRedisServer?
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        redis?.stop()
        redis = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    func startRedis() throws -> TestRedisServer {
        let server = try TestRedisServer()
        redis = server
        return server
    }

    func testARedisBreakerOpensAtItsThreshold() throws {
        let redis = try startRedis()
        let marker = directory + "/ran"
        let breaker = ["-q", "-n", "1", "--breaker", redis.url("ci-breaker"), "--breaker-threshold", "3", "--breaker-cooldown", "1h"]
        for _ in 0..<2 { XCTAssertEqual(try RetryBinary.run(breaker + ["sh", "-c", "exit 1"]).status, 1) }
        XCTAssertEqual(try redis.hash("ci-breaker")["phase"], "closed", "not before the threshold")
        XCTAssertEqual(try RetryBinary.run(breaker + ["sh", "-c", "exit 1"]).status, 1)
        let state = try redis.hash("ci-breaker")
        XCTAssertEqual(state["phase"], "open")
        XCTAssertEqual(state["runs"], "3")
        XCTAssertEqual(state["failed-runs"], "3")
        XCTAssertEqual(state["consecutive-failures"], "3")
        let refused = try RetryBinary.run(breaker + ["touch", marker])
        XCTAssertEqual(refused.status, 75)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the command did not run")
        XCTAssertNotNil(refused.stderr.wholeMatch(of: /retry: the circuit breaker in redis:\/\/127\.0\.0\.1:\d+\/ci-breaker is open; the next trial is allowed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (1h|59m\d+(\.\d+)?s)\); not running the command\n/), refused.stderr)
        // Our SHA-1 is the server's: after the first NOSCRIPT, EVALSHA finds them.
        XCTAssertEqual(try redis.command(["SCRIPT", "EXISTS", RedisScript.breakerAdmit.sha, RedisScript.breakerFinish.sha]),
                       .array([.integer(1), .integer(1)]))
        // Idle keys expire: a week, plus the hour the breaker stays open.
        let ttl = try XCTUnwrap(redis.command(["PTTL", "ci-breaker"]).integer)
        XCTAssertGreaterThan(ttl, 7 * 86_400_000)
        XCTAssertLessThanOrEqual(ttl, 7 * 86_400_000 + 3_600_000)
    }

    func testConcurrentRunsOnOneRedisBreakerLoseNoUpdate() throws {
        let redis = try startRedis()
        let failures = Mutex(0)
        let breaker = redis.url("b"), quota = redis.url("q")
        DispatchQueue.concurrentPerform(iterations: 25) { index in
            let code = index % 2
            let result = try? RetryBinary.run(["-q", "-n", "2", "-b", "0", "--breaker", breaker, "--breaker-threshold", "1000",
                                               "--quota", quota, "sh", "-c", "exit \(code)"])
            if result?.status != Int32(code) { failures.withLock { $0 += 1 } }
        }
        XCTAssertEqual(failures.withLock { $0 }, 0)
        let state = try redis.hash("b")
        XCTAssertEqual(state["runs"], "25")
        XCTAssertEqual(state["failed-runs"], "12")
        let tokens = try redis.hash("q")
        XCTAssertEqual(tokens["retries-taken"], "12")
        XCTAssertEqual(tokens["retries-refused"], "0")
        let balance = try XCTUnwrap(Int(tokens["balance"] ?? "")), refunded = try XCTUnwrap(Int(tokens["tokens-refunded"] ?? ""))
        let refilled = try XCTUnwrap(Int(tokens["tokens-refilled"] ?? ""))
        XCTAssertEqual(balance, 500 - 12 * 5 + refunded + refilled, "\(tokens)")
        XCTAssertLessThanOrEqual(refunded, 13)
    }

    func testARedisQuotaOf10PaysForExactlyTwoRetriesOf5() throws {
        let redis = try startRedis()
        let result = try RetryBinary.run("-n", "5", "-b", "0", "--quota", redis.url("q"), "--quota-size", "10", "sh", "-c", "echo run; exit 1")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "run\nrun\nrun\n")
        XCTAssertEqual(result.stderrLines.last, "retry: giving up: the --quota has no tokens left for a retry; exit status 1")
        var hash = try redis.hash("q")
        XCTAssertNotNil(hash.removeValue(forKey: "refilled-at"))
        XCTAssertEqual(hash, ["balance": "0", "retries-taken": "2", "retries-refused": "1", "tokens-refunded": "0", "tokens-refilled": "0"])
    }

    func testTheTrialLeaseOfAKilledRunExpires() throws {
        let redis = try startRedis()
        let breaker = ["--breaker", redis.url("b"), "--breaker-threshold", "1", "--breaker-cooldown", "100ms"]
        XCTAssertEqual(try RetryBinary.run(["-q", "-n", "1"] + breaker + ["false"]).status, 1)
        usleep(200_000)
        let trial = try LiveRetry(["-n", "1"] + breaker + ["sh", "-c", "echo started $$; exec sleep 60"])
        let line = try XCTUnwrap(trial.waitForLine(containing: "started"))
        let group = try XCTUnwrap(Int32(line.split(separator: " ").last ?? ""))
        XCTAssertEqual(try redis.hash("b")["phase"], "half-open")
        // Past the 3 s lease, the running trial has renewed it.
        usleep(3_500_000)
        let meanwhile = try RetryBinary.run(["-n", "1"] + breaker + ["true"])
        XCTAssertEqual(meanwhile.status, 75)
        XCTAssertTrue(meanwhile.stderr.hasSuffix("is half-open and a trial run is under way; not running the command\n"), meanwhile.stderr)
        kill(trial.pid, SIGKILL)
        let killedAt = Date()
        _ = trial.finish()
        // No finish ran: the lease ends by itself within its 3 s.
        var status: Int32 = 75
        while status == 75, Date().timeIntervalSince(killedAt) < 10 {
            usleep(250_000)
            status = try RetryBinary.run(["-q", "-n", "1"] + breaker + ["true"]).status
        }
        XCTAssertEqual(status, 0, "a new trial ran and closed the breaker")
        XCTAssertEqual(try redis.hash("b")["phase"], "closed")
        let giveUp = Date().addingTimeInterval(10)
        while !liveMembers(ofGroup: group).isEmpty, Date() < giveUp { usleep(50_000) }
        XCTAssertEqual(liveMembers(ofGroup: group), [], "the watchdog ended the killed run's command")
    }

    func testAnOutcomeFromALostTrialLeaseIsNotRecorded() throws {
        let redis = try startRedis()
        let breaker = ["--breaker", redis.url("b"), "--breaker-threshold", "1", "--breaker-cooldown", "100ms"]
        XCTAssertEqual(try RetryBinary.run(["-q", "-n", "1"] + breaker + ["false"]).status, 1)
        let go = directory + "/go"
        // The trial's command waits for the test's go (60 s at most).
        let waitForGo = "echo started; i=0; while [ ! -e \"$0\" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done"
        var trial: LiveRetry?
        let cooled = Date().addingTimeInterval(10)
        // The 100 ms cooldown: until it ends, runs are refused (75).
        while trial == nil, Date() < cooled {
            let run = try LiveRetry(["-v", "-n", "1"] + breaker + ["sh", "-c", waitForGo, go])
            if run.waitForLine(containing: "started") != nil { trial = run } else { _ = run.finish() }
        }
        let first = try XCTUnwrap(trial, "a trial started")
        XCTAssertEqual(try redis.hash("b")["phase"], "half-open")
        // Stopped, its retry cannot renew the lease: another run gets the
        // trial within the 3 s lease, and fails it.
        kill(first.pid, SIGSTOP)
        var status: Int32 = 75
        let stoppedAt = Date()
        while status == 75, Date().timeIntervalSince(stoppedAt) < 15 {
            usleep(250_000)
            status = try RetryBinary.run(["-q", "-n", "1"] + breaker + ["false"]).status
        }
        XCTAssertEqual(status, 1, "a second trial ran")
        XCTAssertEqual(try redis.hash("b")["phase"], "open")
        kill(first.pid, SIGCONT)
        XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil))
        let end = first.finish()
        XCTAssertEqual(end.status, 0, end.stderr)
        XCTAssertTrue(end.stderr.contains("retry: the trial's lease in \(redis.url("b")) expired and went to another run (was retry stopped?); this run's outcome was not recorded\n"), end.stderr)
        XCTAssertEqual(try redis.hash("b")["phase"], "open", "the lost trial's success must not close the breaker the newer trial opened")
    }

    func testAnUnreachableRedisFailsOpenWithinItsLimit() throws {
        // Accepts connections (the kernel's backlog) but never answers.
        let silent = try boundLoopbackSocket(listening: true)
        defer { close(silent.fd) }
        let url = "redis://127.0.0.1:\(silent.port)"
        let started = Date()
        let result = try RetryBinary.run("-n", "2", "-b", "0", "--breaker", url + "/b", "--quota", url + "/q", "sh", "-c", "echo run; exit 1")
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "run\nrun\n", "the command ran as without a breaker")
        let warnings = result.stderrLines.filter { $0.contains("Redis") }
        XCTAssertEqual(warnings, ["retry: \(url)/b: cannot use Redis: no answer in time while waiting for a reply (limit 250ms); going on without it"])
        XCTAssertLessThan(seconds, 3, "safety net: one 250 ms limit, not one per call")
        let refusedPort = try freeLoopbackPort()
        let refused = try RetryBinary.run("--breaker", "redis://127.0.0.1:\(refusedPort)/b", "true")
        XCTAssertEqual(refused.status, 0)
        XCTAssertEqual(refused.stderr, "retry: redis://127.0.0.1:\(refusedPort)/b: cannot use Redis: cannot connect: connection refused; going on without it\n")
    }

    func testBadRedisOptionsAreRefused() throws {
        let noKey = try RetryBinary.run("--breaker", "redis://127.0.0.1:6379", "true")
        XCTAssertEqual(noKey.status, 125)
        XCTAssertTrue(noKey.stderr.contains("no key: expected redis://HOST[:PORT]/KEY"), noKey.stderr)
        let mixed = try RetryBinary.run("--breaker", directory + "/b", "--quota", "redis://127.0.0.1/q", "true")
        XCTAssertEqual(mixed.status, 125)
        XCTAssertEqual(mixed.stderr, "retry: --breaker and --quota must both be files or both redis:// URLs\n")
        let same = try RetryBinary.run("--breaker", "redis://127.0.0.1/k", "--quota", "redis://127.0.0.1:6379/k", "true")
        XCTAssertEqual(same.status, 125)
        XCTAssertEqual(same.stderr, "retry: --breaker and --quota name one Redis key, redis://127.0.0.1:6379/k; give each its own\n")
    }

    func testAPasswordComesFromTheURLOrREDISCLI_AUTH() throws {
        let redis = try startRedis()
        _ = try redis.command(["CONFIG", "SET", "requirepass", "s3cret"])
        let inURL = try RetryBinary.run("-n", "1", "--breaker", "redis://:s3cret@127.0.0.1:\(redis.port)/b", "true")
        XCTAssertEqual(inURL.status, 0)
        XCTAssertEqual(inURL.stderr, "")
        var environment = ProcessInfo.processInfo.environment
        environment["REDISCLI_AUTH"] = "s3cret"
        let fromEnvironment = try RetryBinary.run(["-n", "1", "--breaker", redis.url("b"), "true"], environment: environment)
        XCTAssertEqual(fromEnvironment.status, 0)
        XCTAssertEqual(fromEnvironment.stderr, "")
        environment["REDISCLI_AUTH"] = "wrong"
        let wrong = try RetryBinary.run(["-n", "1", "--breaker", redis.url("b"), "true"], environment: environment)
        XCTAssertEqual(wrong.status, 0, "fails open")
        XCTAssertTrue(wrong.stderr.contains("cannot use Redis: authentication failed (Redis answered: WRONGPASS"), wrong.stderr)
        XCTAssertFalse(wrong.stderr.contains("wrong"), "the password is never shown")
    }
}
