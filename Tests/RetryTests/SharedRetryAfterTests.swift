import Foundation
import XCTest

/// A server's Retry-After, seen by one run, holds back every run that shares
/// the breaker: in a state file and in Redis.
final class SharedRetryAfterTests: XCTestCase {
    var redis: TestRedisServer?
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        redis?.stop()
        redis = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What curl -i prints for a 429 asking for two seconds.
    static let tooManyRequests = ["sh", "-c", #"printf 'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\n\r\n'"#]

    func testASharedRetryAfterInAFile() throws {
        let breaker = directory + "/breaker"
        try checkSharedRetryAfter(breaker) {
            let text = try String(contentsOfFile: breaker, encoding: .utf8)
            let line = text.split(separator: "\n").first { $0.hasPrefix("retry-after-until ") }
            return line.flatMap { Double($0.split(separator: " ")[1]) }
        }
    }

    func testASharedRetryAfterInRedis() throws {
        let server = try TestRedisServer()
        redis = server
        try checkSharedRetryAfter(server.url("shared")) {
            try server.hash("shared")["retry-after-until"].flatMap(Double.init)
        }
    }

    /// One run gets the 429; a second, whose budget is too short, exits 75
    /// at once without running its command; a third waits and runs after
    /// the recorded moment. `recorded` reads that moment from the store.
    func checkSharedRetryAfter(_ breaker: String, recorded: () throws -> Double?) throws {
        let first = try RetryBinary.run(["--http", "-n", "1", "--breaker", breaker] + Self.tooManyRequests)
        XCTAssertEqual(first.status, 1, first.stderr)
        let until = try XCTUnwrap(try recorded(), "the Retry-After was recorded")
        XCTAssertGreaterThan(until, Date().timeIntervalSince1970)

        let dry = try RetryBinary.run("--dry-run", "--breaker", breaker, "true")
        XCTAssertTrue(dry.stdout.contains("; a server's Retry-After holds attempts until "), dry.stdout)

        let marker = directory + "/second-ran"
        let second = try RetryBinary.run("--budget", "1s", "--breaker", breaker, "touch", marker)
        XCTAssertEqual(second.status, 75)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the command did not run")
        XCTAssertNotNil(second.stderr.wholeMatch(of: /retry: a server's Retry-After shared through the breaker in .* holds attempts until \S+Z \(in [0-9.]+m?s\), past the --budget of 1s; not running the command\n/), second.stderr)

        let third = try RetryBinary.run("-v", "--budget", "30s", "--breaker", breaker, "sh", "-c", "date +%s.%N")
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertTrue(third.stderr.contains("for a server's Retry-After shared through the breaker in \(breaker) (until "), third.stderr)
        let ranAt = try XCTUnwrap(Double(third.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertGreaterThanOrEqual(ranAt, until - 0.01, "the command started after the shared moment")
    }
}
