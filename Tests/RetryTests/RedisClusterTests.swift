import Foundation
import RetryCore
import XCTest

/// A Redis cluster's redirections: a node that does not serve the key's
/// slot answers `MOVED` (followed once) or `ASK` (reported in one line).
final class RedisClusterTests: XCTestCase {
    var redis: TestRedisServer?
    var fake: RedirectingServer?

    override func tearDown() {
        fake?.stop()
        fake = nil
        redis?.stop()
        redis = nil
    }

    func testAMovedKeyIsFollowedToItsNode() throws {
        let redis = try TestRedisServer()
        self.redis = redis
        let node = redis.port
        let fake = try RedirectingServer { _ in "MOVED 5798 127.0.0.1:\(node)" }
        self.fake = fake
        let breaker = ["--breaker", "redis://127.0.0.1:\(fake.port)/b", "--quota", "redis://127.0.0.1:\(fake.port)/q"]
        let result = try RetryBinary.run(["-n", "2", "-b", "0"] + breaker + ["sh", "-c", "exit 1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderrLines.filter { $0.contains("Redis") }, [])
        XCTAssertEqual(try redis.hash("b")["runs"], "1", "the breaker lives on the node MOVED named")
        XCTAssertEqual(try redis.hash("q")["retries-taken"], "1")
        XCTAssertEqual(fake.connections, 1, "breaker and quota share one connection; after MOVED the node's is kept")
    }

    func testASecondRedirectionOrAnASKIsOneLineNamingTheNode() throws {
        let loop = try RedirectingServer { port in "MOVED 5798 127.0.0.1:\(port)" }
        fake = loop
        let moved = try RetryBinary.run("-n", "1", "--breaker", "redis://127.0.0.1:\(loop.port)/b", "true")
        XCTAssertEqual(moved.status, 0, "fails open")
        XCTAssertEqual(moved.stderr, "retry: redis://127.0.0.1:\(loop.port)/b: cannot use Redis: the Redis cluster moved the key's slot to 127.0.0.1:\(loop.port), which moved it on (Redis answered: MOVED 5798 127.0.0.1:\(loop.port)); going on without it\n")
        loop.stop()
        let ask = try RedirectingServer { _ in "ASK 5798 10.0.0.7:6380" }
        fake = ask
        let asked = try RetryBinary.run("-n", "1", "--breaker", "redis://127.0.0.1:\(ask.port)/b", "true")
        XCTAssertEqual(asked.status, 0)
        XCTAssertEqual(asked.stderr, "retry: redis://127.0.0.1:\(ask.port)/b: cannot use Redis: the Redis cluster is moving the key's slot to 10.0.0.7:6380 (Redis answered: ASK 5798 10.0.0.7:6380); going on without it\n")
    }
}

/// A loopback server that answers every command with the error `reply(port)`,
/// as a cluster node that does not serve the key's slot.
final class RedirectingServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let stopping = Locked(false)
    private let accepted = Locked(0)
    private let done = DispatchSemaphore(value: 0)

    var connections: Int { accepted.value }

    init(reply: @escaping @Sendable (UInt16) -> String) throws {
        let bound = try boundLoopbackSocket(listening: true)
        listener = bound.fd
        port = bound.port
        let port = self.port
        Thread { [listener, stopping, accepted, done] in
            var clients: [Int32] = []
            while !stopping.value {
                var entries = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
                    + clients.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
                guard poll(&entries, nfds_t(entries.count), 20) > 0 else { continue }
                if entries[0].revents != 0 {
                    let client = accept(listener, nil, nil)
                    if client >= 0 {
                        clients.append(client)
                        accepted.update { $0 += 1 }
                    }
                }
                for entry in entries.dropFirst() where entry.revents != 0 {
                    var buffer = [UInt8](repeating: 0, count: 65_536)
                    // One read is one command: retry waits for each reply.
                    if recv(entry.fd, &buffer, buffer.count, 0) > 0 {
                        let answer = Array("-\(reply(port))\r\n".utf8)
                        _ = send(entry.fd, answer, answer.count, Int32(MSG_NOSIGNAL))
                    } else {
                        close(entry.fd)
                        clients.removeAll { $0 == entry.fd }
                    }
                }
            }
            clients.forEach { close($0) }
            done.signal()
        }.start()
    }

    func stop() {
        guard !stopping.value else { return }
        stopping.update { $0 = true }
        _ = done.wait(timeout: .now() + 5)
        close(listener)
    }
}

/// A value threads share, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
