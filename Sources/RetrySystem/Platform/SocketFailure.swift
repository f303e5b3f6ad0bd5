import Foundation
import RetryCore

/// Why a TCP exchange failed.
enum SocketFailure: Error, Equatable, CustomStringConvertible {
    /// The deadline passed first.
    case timedOut(String)
    case failed(String)

    var description: String {
        switch self {
        case .timedOut(let what), .failed(let what): what
        }
    }
}
