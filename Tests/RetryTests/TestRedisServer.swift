import Foundation
import RetryCore
import XCTest

/// A private `redis-server` on a free loopback port, with no persistence,
/// for one test: started in `init`, stopped (and its directory removed) in
/// `stop()`. Tests skip, saying why, only where redis-server is not installed
/// (`.ci/run` installs it).
final class TestRedisServer {
    let port: UInt16
    /// The TLS port, when started with `tls: true`: its certificate names
    /// only `localhost` and is signed by `caFile`, a CA made for this server.
    private(set) var tlsPort: UInt16 = 0
    private let process = Process()
    let directory: String
    var caFile: String { directory + "/ca.crt" }
    /// A CA that signed nothing this server shows.
    var otherCAFile: String { directory + "/other-ca.crt" }

    static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/bin"] {
            let candidate = "\(directory)/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw XCTSkip("redis-server is not installed (apt-get install redis-server; .ci/run does it), so the Redis store is not tested")
    }

    init(tls: Bool = false) throws {
        let executable = try Self.executable()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", directory, "--logfile", ""]
        if tls {
            do {
                try makeCertificates()
                tlsPort = try freeLoopbackPort()
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
            process.arguments! += ["--tls-port", String(tlsPort), "--tls-cert-file", directory + "/server.crt",
                                   "--tls-key-file", directory + "/server.key", "--tls-ca-cert-file", caFile,
                                   "--tls-auth-clients", "no"]
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A handshake, not a guessed sleep: PING until PONG (5 s at most).
        let giveUp = Date().addingTimeInterval(5)
        while (try? command(["PING"])) != .simple("PONG") {
            guard Date() < giveUp, process.isRunning else {
                stop()
                throw XCTSkip("redis-server did not start on port \(port)")
            }
            usleep(10_000)
        }
    }

    /// `redis://127.0.0.1:PORT/KEY`.
    func url(_ key: String) -> String { "redis://127.0.0.1:\(port)/\(key)" }

    /// `rediss://[CREDENTIALS@]HOST:TLSPORT/KEY`; the certificate names only
    /// `localhost`.
    func tlsURL(_ key: String, credentials: String = "", host: String = "localhost") -> String {
        "rediss://\(credentials)\(host):\(tlsPort)/\(key)"
    }

    /// A CA, a server certificate it signs for `localhost` (EC keys: made
    /// in milliseconds), and another CA, with the `openssl` command.
    private func makeCertificates() throws {
        let openssl = try Self.openssl()
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(openssl, ["req", "-x509"] + key + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=retry test CA"])
        try run(openssl, ["req", "-x509"] + key + ["-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=retry other CA"])
        try run(openssl, ["req"] + key + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost\n".write(toFile: directory + "/server.ext", atomically: false, encoding: .utf8)
        try run(openssl, ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                          "-out", "server.crt", "-days", "2", "-extfile", "server.ext"])
    }

    static func openssl() throws -> String {
        for candidate in ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
        where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        throw XCTSkip("openssl is not installed (apt-get install openssl; .ci/run does it), so rediss:// is not tested")
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: executable)
        tool.arguments = arguments
        tool.currentDirectoryURL = URL(fileURLWithPath: directory)
        tool.standardOutput = FileHandle.nullDevice
        tool.standardError = FileHandle.nullDevice
        try tool.run()
        tool.waitUntilExit()
        guard tool.terminationStatus == 0 else {
            throw NSError(domain: "openssl \(arguments.prefix(2).joined(separator: " ")) failed: cannot make test certificates",
                          code: Int(tool.terminationStatus))
        }
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The hash at `key` as a dictionary.
    func hash(_ key: String) throws -> [String: String] {
        guard case .array(let items?) = try command(["HGETALL", key]) else { return [:] }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: items.count - 1, by: 2) { fields[items[index].text ?? ""] = items[index + 1].text }
        return fields
    }

    /// One command over a fresh connection, with a 2 s receive limit.
    func command(_ words: [String]) throws -> RESPValue {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let bytes = RESP.command(words)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if case .complete(let value, _) = RESP.parse(received) { return value }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { throw POSIXError(.EIO) }
            received += buffer[0..<count]
        }
    }
}

func loopback(_ port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A loopback TCP socket bound to port 0, so the kernel picks a free port;
/// `listening` keeps it open (a server that never answers), otherwise it is
/// closed and only the port number kept.
func freeLoopbackPort(listening: Bool = false) throws -> UInt16 {
    try boundLoopbackSocket(listening: listening).port
}

func boundLoopbackSocket(listening: Bool) throws -> (fd: Int32, port: UInt16) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = loopback(0)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        close(fd)
        throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    if listening {
        listen(fd, 16)
    } else {
        close(fd)
    }
    return (listening ? fd : -1, UInt16(bigEndian: address.sin_port))
}
