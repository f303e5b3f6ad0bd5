/// Why the shared state (a state file) cannot be used.
package enum SharedStateError: Error, Equatable {
    /// The path is unsafe or unusable (a symlink, not a regular file, no
    /// permission): `retry` refuses to run, with status 125.
    case refused(String)
    /// A transient trouble (the lock stayed busy, a write failed): the run
    /// goes on without the state, saying so.
    case unavailable(String)
}

extension SharedStateError {
    /// The one-line explanation, without the `retry: ` prefix.
    package var message: String {
        switch self {
        case .refused(let message), .unavailable(let message): message
        }
    }
}
