import RetryCore

/// One key on one server.
struct RedisStore {
    let location: RedisLocation
    let server: RedisServer

    var display: String { location.display }

    /// Runs `script` on the key; nil when the server cannot be used.
    func run(_ script: RedisScript, _ arguments: [String]) -> RESPValue? {
        server.run(script, key: location.key, arguments, display: display)
    }

    /// Runs a script that answers as `read` does, for an operator: a server
    /// that cannot be used throws, it is not gone around.
    func snapshot(_ script: RedisScript, _ arguments: [String]) throws(SharedStateError) -> (now: Double, fields: [String: String]) {
        let reply: RESPValue
        do {
            reply = try server.call(script, key: location.key, arguments)
        } catch {
            throw .unavailable("\(display): cannot use Redis: \(error)")
        }
        guard let snapshot = RedisReplies.snapshot(reply) else { throw .unavailable("\(display): not the reply of retry's script") }
        return snapshot
    }
}
