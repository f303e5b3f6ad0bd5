import RetryCore

/// An `errno` value as a typed error.
package struct Errno: Error, Equatable, CustomStringConvertible {
    package let rawValue: Int32

    package init(_ rawValue: Int32) { self.rawValue = rawValue }

    package static let interrupted = Errno(EINTR)
    package static let noSuchFile = Errno(ENOENT)
    package static let permissionDenied = Errno(EACCES)
    package static let noChildProcess = Errno(ECHILD)

    /// The C library's wording, in lowercase to fit our messages.
    package var description: String {
        guard let text = strerror(rawValue) else { return "error \(rawValue)" }
        let message = String(cString: text)
        return message.prefix(1).lowercased() + message.dropFirst()
    }
}
