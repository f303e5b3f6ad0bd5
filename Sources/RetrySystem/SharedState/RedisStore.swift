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
}
