import RetryCore

/// A server, connected on first use. After a failure it is not tried again
/// in this run: one warning, and no run waits on a dead server twice.
final class RedisServer {
    private let location: RedisLocation
    private let warn: (String) -> Void
    private var connection: RedisConnection?
    private var failed = false

    init(_ location: RedisLocation, warn: @escaping (String) -> Void) {
        self.location = location
        self.warn = warn
    }

    /// Runs `script` on `key`; a failure throws (and leaves the server to
    /// be tried again).
    func call(_ script: RedisScript, key: String, _ arguments: [String]) throws(SocketFailure) -> RESPValue {
        do throws(SocketFailure) {
            if connection == nil { connection = try RedisConnection.open(location) }
            return try connection!.run(script, key: key, arguments)
        } catch {
            connection = nil
            throw error
        }
    }

    func run(_ script: RedisScript, key: String, _ arguments: [String], display: String) -> RESPValue? {
        guard !failed else { return nil }
        var connecting = connection == nil
        do throws(SocketFailure) {
            if connection == nil { connection = try RedisConnection.open(location) }
            connecting = false
            return try connection!.run(script, key: key, arguments)
        } catch {
            failed = true
            connection = nil
            // The limit is worth saying only when it is what failed.
            let limit = if case .timedOut = error {
                " (limit \(DurationText.format(connecting ? RedisStoreLimits.connect(tls: location.tls) : RedisStoreLimits.reply)))"
            } else { "" }
            warn(SharedStateWording.unavailable(display, "cannot use Redis: \(error)\(limit)"))
            return nil
        }
    }
}
