/// What one attempt runs.
public struct LaunchRequest: Equatable, Sendable {
    /// The command and its arguments, exactly as given; never joined for a shell.
    public var arguments: [String]
    /// The complete environment of the command.
    public var environment: [String: String]

    public init(arguments: [String], environment: [String: String]) {
        self.arguments = arguments
        self.environment = environment
    }
}

/// Why a command could not be started at all.
public enum LaunchFailure: Error, Equatable, Sendable {
    /// No such file, or no such command in `PATH`: status 127.
    case notFound(String)
    /// Found, but not runnable (permission, directory, exec format): status 126.
    case cannotInvoke(String, reason: String)

    public var status: ExitStatus {
        switch self {
        case .notFound: .notFound
        case .cannotInvoke: .cannotInvoke
        }
    }

    /// The one-line explanation, without the `retry: ` prefix.
    public var message: String {
        switch self {
        case .notFound(let name):
            name.contains("/") ? "\(name): no such file" : "\(name): command not found (check the name and PATH)"
        case .cannotInvoke(let name, let reason):
            "\(name): cannot run: \(reason)"
        }
    }
}

/// Starts the command of one attempt and waits for it. The real one spawns
/// with Foundation `Process`; tests script outcomes instead.
public protocol ProcessLauncher {
    /// Runs the command to its end and says how it ended.
    func run(_ request: LaunchRequest) throws(LaunchFailure) -> Termination
}
