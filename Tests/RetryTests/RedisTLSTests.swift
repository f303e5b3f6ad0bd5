import Foundation
import RetryCore
import XCTest

/// The Redis store over TLS (`rediss://`): a private `redis-server` with a
/// TLS port and a certificate for `localhost` signed by a CA made for it.
final class RedisTLSTests: XCTestCase {
    var redis: TestRedisServer?
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        redis?.stop()
        redis = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    func startRedis() throws -> TestRedisServer {
        let server = try TestRedisServer(tls: true)
        redis = server
        return server
    }

    func testABreakerAndQuotaOverTLSWithTheCAFile() throws {
        let redis = try startRedis()
        let stores = ["--breaker", redis.tlsURL("b"), "--breaker-threshold", "2", "--breaker-cooldown", "1h",
                      "--quota", redis.tlsURL("q"), "--quota-size", "10", "--redis-ca", redis.caFile]
        let failed = try RetryBinary.run(["-n", "5", "-b", "0"] + stores + ["sh", "-c", "echo run; exit 1"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertEqual(failed.stdout, "run\nrun\nrun\n", "the quota of 10 paid two retries of 5")
        XCTAssertEqual(failed.stderrLines.last, "retry: giving up: the --quota has no tokens left for a retry; exit status 1")
        XCTAssertEqual(try redis.hash("q")["retries-taken"], "2")
        XCTAssertEqual(try RetryBinary.run(["-q", "-n", "1"] + stores + ["false"]).status, 1)
        XCTAssertEqual(try redis.hash("b")["phase"], "open")
        let refused = try RetryBinary.run(["-n", "1"] + stores + ["true"])
        XCTAssertEqual(refused.status, 75)
        XCTAssertTrue(refused.stderr.hasPrefix("retry: the circuit breaker in rediss://localhost:\(redis.tlsPort)/b is open;"), refused.stderr)
        let shown = try RetryBinary.run(["--show-state"] + stores)
        XCTAssertTrue(shown.stdout.hasPrefix("breaker rediss://localhost:\(redis.tlsPort)/b: open, 2 failed runs in a row, next trial at "), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("quota rediss://localhost:\(redis.tlsPort)/q: 0 of 10 tokens"), shown.stdout)
        let reset = try RetryBinary.run(["--reset-state"] + stores)
        XCTAssertEqual(reset.status, 0)
        XCTAssertEqual(try redis.hash("b")["phase"], "closed")
        XCTAssertEqual(try redis.hash("q")["balance"], "10")
    }

    func testTheSystemTrustStoreIsUsedWithoutACAFile() throws {
        let redis = try startRedis()
        // OpenSSL's default verify paths: SSL_CERT_FILE trusts the test CA.
        let trusted = try RetryBinary.run(["-n", "1", "--breaker", redis.tlsURL("b"), "true"],
                                          environment: withEnvironment(["SSL_CERT_FILE": redis.caFile, "SSL_CERT_DIR": redis.directory + "/none"]))
        XCTAssertEqual(trusted.status, 0)
        XCTAssertEqual(trusted.stderr, "")
        XCTAssertEqual(try redis.hash("b")["runs"], "1")
        // The system's store does not know the test CA: never unverified.
        let untrusted = try RetryBinary.run(["-n", "1", "--breaker", redis.tlsURL("b"), "true"],
                                            environment: withEnvironment(["SSL_CERT_FILE": redis.otherCAFile, "SSL_CERT_DIR": redis.directory + "/none"]))
        XCTAssertEqual(untrusted.status, 0, "fails open")
        XCTAssertEqual(untrusted.stderr, "retry: \(redis.tlsURL("b")): cannot use Redis: the server's certificate failed verification: self-signed certificate in certificate chain; going on without it\n")
        XCTAssertEqual(try redis.hash("b")["runs"], "1", "the unverified server was not used")
    }

    func testAWrongCAOrHostNameFailsOpenWithTheVerificationError() throws {
        let redis = try startRedis()
        let marker = directory + "/ran"
        let wrongCA = try RetryBinary.run("-n", "1", "--breaker", redis.tlsURL("b"), "--redis-ca", redis.otherCAFile, "touch", marker)
        XCTAssertEqual(wrongCA.status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the command ran as without a breaker")
        XCTAssertEqual(wrongCA.stderr, "retry: \(redis.tlsURL("b")): cannot use Redis: the server's certificate failed verification: self-signed certificate in certificate chain; going on without it\n")
        // The certificate names localhost, not 127.0.0.1.
        let wrongName = try RetryBinary.run("-n", "1", "--breaker", redis.tlsURL("b", host: "127.0.0.1"), "--redis-ca", redis.caFile, "true")
        XCTAssertEqual(wrongName.status, 0)
        XCTAssertEqual(wrongName.stderr, "retry: rediss://127.0.0.1:\(redis.tlsPort)/b: cannot use Redis: the server's certificate failed verification: IP address mismatch; going on without it\n")
        let missing = try RetryBinary.run("-n", "1", "--breaker", redis.tlsURL("b"), "--redis-ca", directory + "/none.crt", "true")
        XCTAssertEqual(missing.status, 0)
        XCTAssertEqual(missing.stderr, "retry: \(redis.tlsURL("b")): cannot use Redis: cannot read the CA file \(directory)/none.crt: No such file or directory; going on without it\n")
        XCTAssertEqual(try redis.hash("b"), [:], "no run used the store")
        // Plain RESP to the TLS port is not taken for a reply.
        let plain = try RetryBinary.run("-n", "1", "--breaker", "redis://127.0.0.1:\(redis.tlsPort)/b", "true")
        XCTAssertEqual(plain.status, 0)
        XCTAssertTrue(plain.stderr.hasPrefix("retry: redis://127.0.0.1:\(redis.tlsPort)/b: cannot use Redis: "), plain.stderr)
    }

    func testAnACLUserOverTLSFromTheURLOrREDISCLI_AUTH() throws {
        let redis = try startRedis()
        _ = try redis.command(["ACL", "SETUSER", "fleet", "on", ">s3cr@t", "~*", "+@all"])
        _ = try redis.command(["ACL", "SETUSER", "default", "off"])
        let inURL = try RetryBinary.run("-n", "1", "--breaker", redis.tlsURL("b", credentials: "fleet:s3cr%40t@"), "--redis-ca", redis.caFile, "true")
        XCTAssertEqual(inURL.status, 0)
        XCTAssertEqual(inURL.stderr, "")
        let fromEnvironment = try RetryBinary.run(["-n", "1", "--breaker", redis.tlsURL("b", credentials: "fleet@"), "--redis-ca", redis.caFile, "true"],
                                                  environment: withEnvironment(["REDISCLI_AUTH": "s3cr@t"]))
        XCTAssertEqual(fromEnvironment.status, 0)
        XCTAssertEqual(fromEnvironment.stderr, "")
        let wrong = try RetryBinary.run(["-n", "1", "--breaker", redis.tlsURL("b", credentials: "fleet@"), "--redis-ca", redis.caFile, "true"],
                                        environment: withEnvironment(["REDISCLI_AUTH": "not-it"]))
        XCTAssertEqual(wrong.status, 0, "fails open")
        XCTAssertTrue(wrong.stderr.contains("WRONGPASS"), wrong.stderr)
        XCTAssertFalse(wrong.stderr.contains("not-it"), "the password is never shown")
        let inURLWrong = try RetryBinary.run("-n", "1", "--breaker", redis.tlsURL("b", credentials: "fleet:hunter2@"), "--redis-ca", redis.caFile, "true")
        XCTAssertFalse(inURLWrong.stderr.contains("hunter2"), inURLWrong.stderr)
        XCTAssertTrue(inURLWrong.stderr.contains("WRONGPASS"), inURLWrong.stderr)
    }

    func testASilentTLSPortFailsOpenWithinTheConnectLimit() throws {
        // Accepts connections (the kernel's backlog) but never shakes hands.
        let silent = try boundLoopbackSocket(listening: true)
        defer { close(silent.fd) }
        let url = "rediss://localhost:\(silent.port)"
        let started = Date()
        let result = try RetryBinary.run("-n", "2", "-b", "0", "--breaker", url + "/b", "--quota", url + "/q", "sh", "-c", "echo run; exit 1")
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "run\nrun\n", "the command ran as without a breaker")
        XCTAssertEqual(result.stderrLines.filter { $0.contains("Redis") },
                       ["retry: \(url)/b: cannot use Redis: no answer in time while shaking hands over TLS (limit 1s); going on without it"])
        XCTAssertLessThan(seconds, 4, "safety net: one 1 s limit, not one per call")
    }

    func testWithoutLibsslTheRunFailsOpenInOneLine() throws {
        // libssl.so.3 hidden under /dev/null in a mount namespace of our own.
        let hide = "for lib in /usr/lib/*/libssl.so.3 /lib/*/libssl.so.3; do [ -e \"$lib\" ] && { mount --bind /dev/null \"$lib\" || exit 99; }; done; exec \"$@\""
        let listening = try boundLoopbackSocket(listening: true)
        defer { close(listening.fd) }
        let url = "rediss://localhost:\(listening.port)/b"
        let marker = directory + "/ran"
        let result = try RetryBinary.runInShell("exec unshare -rm sh -c '\(hide)' hide \"$@\"", arguments: ["-n", "1", "--breaker", url, "touch", marker])
        if result.status == 99 || result.stderr.hasPrefix("unshare:") { throw XCTSkip("no user and mount namespaces here: \(result.stderr)") }
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the command ran as without a breaker")
        XCTAssertNotNil(result.stderr.wholeMatch(of: /retry: rediss:\/\/localhost:\d+\/b: cannot use Redis: rediss:\/\/ needs OpenSSL 3 \(libssl\.so\.3\), which cannot be loaded: [^\n]*libssl\.so\.3: file too short; going on without it\n/), result.stderr)
    }

    func testBadTLSOptionsAreRefused() throws {
        let noCA = try RetryBinary.run("--breaker", "redis://127.0.0.1/b", "--redis-ca", "/etc/ssl/ca.pem", "true")
        XCTAssertEqual(noCA.status, 125)
        XCTAssertEqual(noCA.stderr, "retry: --redis-ca applies only to a rediss:// --breaker, --quota or --pace\n")
        let noKey = try RetryBinary.run("--quota", "rediss://cache.example:6380", "true")
        XCTAssertEqual(noKey.status, 125)
        XCTAssertTrue(noKey.stderr.contains("no key: expected rediss://HOST[:PORT]/KEY"), noKey.stderr)
    }
}

/// The test's own environment (PATH included, as a user's shell has it)
/// with `variables` added.
private func withEnvironment(_ variables: [String: String]) -> [String: String] {
    ProcessInfo.processInfo.environment.merging(variables) { $1 }
}
