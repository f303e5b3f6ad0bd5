import Testing
@testable import RetryCore

/// The pure half of the Redis store: URLs, RESP framing, script names and
/// what the scripts' replies mean.
@Suite struct RedisCoreTests {
    @Test func urlsParseWithDefaultsAndCredentials() throws {
        let plain = try RedisLocation.parse("redis://cache.internal/ci-breaker")
        #expect(plain == RedisLocation(host: "cache.internal", port: 6379, key: "ci-breaker", user: nil, password: nil))
        let full = try RedisLocation.parse("redis://ops:s%40cret@10.0.0.5:6380/fleet:quota")
        #expect(full == RedisLocation(host: "10.0.0.5", port: 6380, key: "fleet:quota", user: "ops", password: "s@cret"))
        let v6 = try RedisLocation.parse("redis://:pw@[::1]:7000/k")
        #expect(v6.host == "::1" && v6.port == 7000 && v6.password == "pw" && v6.user == nil)
        #expect(v6.display == "redis://[::1]:7000/k", "the password is never shown")
    }

    @Test func theEnvironmentsPasswordIsUsedOnlyWhenTheURLHasNone() throws {
        #expect(try RedisLocation.parse("redis://h/k", environmentPassword: "env").password == "env")
        #expect(try RedisLocation.parse("redis://:url@h/k", environmentPassword: "env").password == "url")
        #expect(try RedisLocation.parse("redis://h/k", environmentPassword: "").password == nil)
        // USER@ or USER:@ leaves the password to REDISCLI_AUTH.
        #expect(try RedisLocation.parse("redis://ops@h/k", environmentPassword: "env") ==
                RedisLocation(host: "h", port: 6379, key: "k", user: "ops", password: "env"))
        #expect(try RedisLocation.parse("redis://ops:@h/k", environmentPassword: "env").password == "env")
    }

    @Test func rediss_IsTLSOnTheSamePortByDefault() throws {
        let tls = try RedisLocation.parse("rediss://fleet:pw@cache.example.com/k")
        #expect(tls == RedisLocation(host: "cache.example.com", port: 6379, key: "k", user: "fleet", password: "pw", tls: true))
        #expect(tls.display == "rediss://cache.example.com:6379/k")
        #expect(try RedisLocation.parse("rediss://[::1]:6380/k").display == "rediss://[::1]:6380/k")
        #expect(RedisLocation.isRedis("rediss://h/k") && RedisLocation.isRedis("redis://h/k") && !RedisLocation.isRedis("unix:///k"))
        let plain = try RedisLocation.parse("redis://h/k")
        #expect(!plain.sameServer(as: try RedisLocation.parse("rediss://h/k")), "TLS and plain are two connections")
        #expect(!plain.sameServer(as: try RedisLocation.parse("redis://other:@h/k", environmentPassword: "x")))
        #expect(plain.sameServer(as: try RedisLocation.parse("redis://h:6379/other")))
    }

    @Test(arguments: ["redis://host", "redis://host/", "redis:///k", "redis://h:0/k", "redis://h:70000/k", "redis://h:x/k",
                      "redis://[::1/k", "redis://h/a key", "redis://:%zz@h/k", "rediss://h", "rediss://:pw@/k", "redisss://h/k"])
    func badURLsAreRefused(text: String) {
        #expect(throws: InvalidValue.self) { try RedisLocation.parse(text) }
    }

    @Test func clusterRedirectionsNameTheNode() {
        #expect(RedisReplies.redirection("MOVED 3999 10.0.0.7:6380")! == (false, "10.0.0.7", 6380))
        #expect(RedisReplies.redirection("ASK 3999 cache-2.example:6379")! == (true, "cache-2.example", 6379))
        #expect(RedisReplies.redirection("MOVED 1 ::1:7000")! == (false, "::1", 7000))
        #expect(RedisReplies.redirection("MOVED 1 :7000")! == (false, "", 7000), "no endpoint announced: the same host")
        for text in ["MOVED", "MOVED 1", "MOVED x 1.2.3.4:5", "MOVED 1 1.2.3.4", "MOVED 1 1.2.3.4:0", "ERR MOVED 1 h:1", "NOSCRIPT x"] {
            #expect(RedisReplies.redirection(text) == nil, "\(text)")
        }
    }

    @Test func commandsAreArraysOfBulkStrings() {
        #expect(String(decoding: RESP.command(["GET", "kéy"]), as: UTF8.self) == "*2\r\n$3\r\nGET\r\n$4\r\nkéy\r\n")
    }

    @Test func repliesParseWholeOrAskForMore() {
        let reply = Array("*3\r\n+OK\r\n:-42\r\n$5\r\nhello\r\n:1\r\n".utf8)
        #expect(RESP.parse(reply) == .complete(.array([.simple("OK"), .integer(-42), .bulk(Array("hello".utf8))]), consumed: reply.count - 4))
        #expect(RESP.parse(Array("$-1\r\n".utf8)) == .complete(.bulk(nil), consumed: 5))
        #expect(RESP.parse(Array("-NOSCRIPT No matching script\r\n".utf8)) == .complete(.error("NOSCRIPT No matching script"), consumed: 30))
        for cut in 0..<reply.count - 4 {
            #expect(RESP.parse(Array(reply[0..<cut])) == .incomplete, "cut at \(cut)")
        }
    }

    @Test(arguments: ["?x\r\n", ":12a\r\n", "$3\r\nabcXY", "$-2\r\n", "*99999\r\n", "$2000000\r\n", "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n"])
    func brokenRepliesAreMalformed(text: String) {
        guard case .malformed = RESP.parse(Array(text.utf8)) else {
            Issue.record("\(text.debugDescription) was not taken as malformed")
            return
        }
    }

    @Test func scriptsAreNamedByTheirSHA1() {
        #expect(SHA1.hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hex(String(repeating: "a", count: 1000)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        let scripts = [RedisScript.breakerAdmit, .breakerFinish, .breakerRenew, .breakerShareRetryAfter, .read, .quotaTake, .quotaRefund]
        #expect(Set(scripts.map(\.sha)).count == scripts.count)
    }

    @Test func admitRepliesBecomeTheFileStoresDecisions() {
        func reply(_ kind: String) -> RESPValue { .array([.bulk(Array(kind.utf8)), .integer(1_800_000_030_500), .integer(1_800_000_000_250)]) }
        #expect(RedisReplies.admission(reply("allowed"))! == (.allowed, 1_800_000_000.25))
        #expect(RedisReplies.admission(reply("trial"))?.0 == .trial)
        #expect(RedisReplies.admission(reply("busy"))?.0 == .rejected(retryAt: 0))
        #expect(RedisReplies.admission(reply("open"))?.0 == .rejected(retryAt: 1_800_000_030.5))
        #expect(RedisReplies.admission(reply("ajar")) == nil)
        #expect(RedisReplies.admission(.integer(1)) == nil)
    }

    @Test func aSnapshotReadsTheSameFieldsAsTheFile() throws {
        let flat: [RESPValue] = ["phase", "open", "consecutive-failures", "3", "retry-at", "1800000030.500",
                                 "retry-after-until", "1800000010.000", "runs", "7", "failed-runs", "4"].map { .bulk(Array($0.utf8)) }
        let snapshot = try #require(RedisReplies.snapshot(.array([.integer(1_800_000_000_000), .array(flat)])))
        #expect(snapshot.now == 1_800_000_000)
        let state = try #require(RedisReplies.breaker(snapshot.fields))
        #expect(state.phase == .open && state.consecutiveFailures == 3 && state.retryAt == 1_800_000_030.5)
        #expect(state.retryAfterUntil == 1_800_000_010 && state.runs == 7 && state.failedRuns == 4)
        #expect(RedisReplies.breaker([:]) == nil, "no key, no state")
        #expect(RedisReplies.payment(.array([.integer(1), .integer(5)]), cost: 5) == .paid(5))
        #expect(RedisReplies.payment(.array([.integer(0), .integer(3)]), cost: 5) == .refused)
    }

    @Test func bothStoresSayTheSameWords() {
        var state = BreakerState()
        state.phase = .open
        state.retryAt = 1_800_000_030
        state.retryAfterUntil = 1_800_000_010
        let line = SharedStateWording.breaker("redis://h:6379/k", state, rules: CircuitBreaker(threshold: 3), now: 1_800_000_000)
        #expect(line == "breaker redis://h:6379/k: open, 0 failed runs in a row, next trial at 2027-01-15T08:00:30Z; a server's Retry-After holds attempts until 2027-01-15T08:00:10Z (in 10s)")
        let wait = SharedWait(delay: .seconds(10), until: 1_800_000_010, store: "/tmp/b")
        #expect(SharedStateWording.sharedWaitPastBudget(wait, budget: .seconds(5)) == "a server's Retry-After shared through the breaker in /tmp/b holds attempts until 2027-01-15T08:00:10Z (in 10s), past the --budget of 5s; not running the command")
    }
}

extension RESPValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .bulk(Array(value.utf8)) }
}
