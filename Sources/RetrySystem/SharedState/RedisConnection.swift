import RetryCore

/// One connection to a Redis server, spoken to in RESP over TCP or TLS.
/// Connecting (with the TLS handshake and AUTH) must finish within
/// `RedisStoreLimits.connect(tls:)` and each reply arrive within
/// `RedisStoreLimits.reply`; past either the caller goes on without the store.
final class RedisConnection {
    private let socket: any ByteStream
    private var buffer: [UInt8] = []

    private init(socket: any ByteStream) {
        self.socket = socket
    }

    deinit { socket.close() }

    /// Connects, and authenticates when the location has a password.
    static func open(_ location: RedisLocation) throws(SocketFailure) -> RedisConnection {
        let deadline = Syscall.monotonicNow() + RedisStoreLimits.connect(tls: location.tls)
        let tcp = try TCPSocket.connect(host: location.host, port: location.port, deadline: deadline)
        let stream: any ByteStream = location.tls
            ? try TLSStream.handshake(over: tcp, host: location.host, caFile: location.caFile, deadline: deadline) : tcp
        let connection = RedisConnection(socket: stream)
        if let password = location.password {
            let words = ["AUTH"] + (location.user.map { [$0] } ?? []) + [password]
            if case .error(let message) = try connection.exchange(words, deadline: deadline) {
                throw .failed("authentication failed (Redis answered: \(message)); check the password, in the URL "
                    + "or REDISCLI_AUTH" + (location.user == nil ? "" : ", and the user \(location.user!)"))
            }
        }
        return connection
    }

    /// Sends one command and returns its reply; an error reply throws.
    func command(_ words: [String], deadline: Duration? = nil) throws(SocketFailure) -> RESPValue {
        let reply = try exchange(words, deadline: deadline)
        if case .error(let message) = reply { throw .failed("Redis answered: \(message)") }
        return reply
    }

    /// Sends one command and returns its reply, an error reply included.
    private func exchange(_ words: [String], deadline: Duration? = nil) throws(SocketFailure) -> RESPValue {
        let deadline = deadline ?? Syscall.monotonicNow() + RedisStoreLimits.reply
        try socket.send(RESP.command(words), deadline: deadline)
        return try readReply(deadline: deadline)
    }

    /// Runs a script by its SHA-1; a server that does not have it yet
    /// (`NOSCRIPT`, after a restart or on first use) is sent it once.
    func run(_ script: RedisScript, key: String, _ arguments: [String]) throws(SocketFailure) -> RESPValue {
        let call = ["EVALSHA", script.sha, "1", key] + arguments
        let reply = try exchange(call)
        guard case .error(let message) = reply else { return reply }
        if message.hasPrefix("NOAUTH") {
            throw .failed("the server needs a password (Redis answered: \(message)); give it in the URL, "
                + "redis://:PASSWORD@HOST/KEY, or in REDISCLI_AUTH")
        }
        if let redirection = RedisReplies.redirection(message) {
            guard redirection.ask else { throw .moved(host: redirection.host, port: redirection.port, reply: message) }
            // A slot in migration: its keys are half here, half there, for
            // the few seconds a resharding takes; not worth two connections.
            throw .failed("the Redis cluster is moving the key's slot to \(redirection.host):\(redirection.port) (Redis answered: \(message))")
        }
        guard message.hasPrefix("NOSCRIPT") else { throw .failed("Redis answered: \(message)") }
        _ = try command(["SCRIPT", "LOAD", script.text])
        return try command(call)
    }

    private func readReply(deadline: Duration) throws(SocketFailure) -> RESPValue {
        while true {
            switch RESP.parse(buffer) {
            case .complete(let value, let consumed):
                buffer.removeFirst(consumed)
                return value
            case .malformed(let why):
                throw .failed("not a Redis reply (\(why))")
            case .incomplete:
                buffer += try socket.receive(deadline: deadline)
                guard buffer.count <= 1 << 20 else { throw .failed("a reply too large for retry's scripts") }
            }
        }
    }
}
