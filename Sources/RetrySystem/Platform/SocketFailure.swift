import Foundation
import RetryCore

/// Why a TCP exchange failed.
enum SocketFailure: Error, Equatable, CustomStringConvertible {
    /// The deadline passed first.
    case timedOut(String)
    case failed(String)
    /// A Redis cluster node answered that the key's slot is served by
    /// another node (`MOVED`), at `host` (empty: the same host) and `port`.
    case moved(host: String, port: UInt16, reply: String)

    var description: String {
        switch self {
        case .timedOut(let what), .failed(let what): what
        case .moved(let host, let port, let reply): "the Redis cluster serves the key on \(host):\(port) (Redis answered: \(reply))"
        }
    }
}
