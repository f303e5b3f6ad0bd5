/// Why a command could not be started at all.
package enum LaunchFailure: Error, Equatable, Sendable {
    /// No such file, or no such command in `PATH`: status 127.
    case notFound(String)
    /// Found, but not runnable (permission, directory, exec format): status 126.
    case cannotInvoke(String, reason: String)
    /// `retry` could not prepare the attempt (pipes, a temporary file): 125.
    case setup(String)

    package var status: ExitStatus { ExitStatus(for: .launch(self)) }

    /// The one-line explanation, without the `retry: ` prefix.
    package var message: String {
        switch self {
        case .notFound(let name) where name.contains(" "):
            // `retry 'curl -fsS http://x/y'`: the quotes made a whole command
            // line one name; a URL or a path in it gives it slashes.
            (name.contains("/") ? "\(name): no such file; if it is a command line, the quotes make it one word: "
                : "\(name): command not found; the quotes make it one name: ")
                + "drop them (retry \(name))" + (name.contains("'") ? "" : ", or use sh -c '\(name)'")
        case .notFound(let name) where !name.isEmpty && name.allSatisfy({ $0.isASCII && $0.isNumber }):
            // `retry 3 curl`: a count where the command goes.
            "\(name): command not found; for at most \(name) attempts, put -n before it: retry -n \(name) -- COMMAND"
        case .notFound(let name):
            name.contains("/") ? "\(name): no such file" : "\(name): command not found (check the name and PATH)"
        case .cannotInvoke(let name, let reason):
            "\(name): cannot run: \(reason)"
        case .setup(let reason):
            reason
        }
    }
}
