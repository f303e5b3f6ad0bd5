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
            return try runFollowingMOVED(script, key: key, arguments)
        } catch {
            connection = nil
            throw error
        }
    }

    /// Runs the script on the open connection. A cluster node that does not
    /// serve the key's slot answers MOVED with the node that does: the
    /// script runs there (with the same credentials and TLS), and that
    /// connection is kept for the rest of the run. One redirection only: a
    /// second (a cluster reshaping itself) fails, naming both nodes.
    private func runFollowingMOVED(_ script: RedisScript, key: String, _ arguments: [String]) throws(SocketFailure) -> RESPValue {
        let node: RedisLocation
        do throws(SocketFailure) {
            return try connection!.run(script, key: key, arguments)
        } catch .moved(let host, let port, _) {
            var moved = location
            moved.host = host.isEmpty ? location.host : host
            moved.port = port
            node = moved
        }
        let shown = node.host.contains(":") ? "[\(node.host)]:\(node.port)" : "\(node.host):\(node.port)"
        do throws(SocketFailure) {
            connection = try RedisConnection.open(node)
            return try connection!.run(script, key: key, arguments)
        } catch .moved(_, _, let reply) {
            throw .failed("the Redis cluster moved the key's slot to \(shown), which moved it on (Redis answered: \(reply))")
        } catch .timedOut(let what) {
            throw .timedOut("following the Redis cluster to \(shown): \(what)")
        } catch {
            throw .failed("following the Redis cluster to \(shown): \(error)")
        }
    }

    func run(_ script: RedisScript, key: String, _ arguments: [String], display: String) -> RESPValue? {
        guard !failed else { return nil }
        var connecting = connection == nil
        do throws(SocketFailure) {
            if connection == nil { connection = try RedisConnection.open(location) }
            connecting = false
            return try runFollowingMOVED(script, key: key, arguments)
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
