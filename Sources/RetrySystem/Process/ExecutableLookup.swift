import RetryCore
/// Finds the file a command name runs, as `execvp` would: a name with a
/// slash is a path; otherwise the first executable regular file of that name
/// in `PATH`. Foundation `Process` searches nothing, so this is ours to do,
/// and it is where 126 and 127 are told apart.
package enum ExecutableLookup {
    /// glibc's default when `PATH` is unset.
    static let defaultSearchPath = "/bin:/usr/bin"

    package static func resolve(_ name: String, searchPath: String?) throws(LaunchFailure) -> String {
        String(decoding: try resolve(bytes: Array(name.utf8), shown: name, searchPath: searchPath), as: UTF8.self)
    }

    /// The same for a name given as bytes, which need not be UTF-8 (a
    /// `String` would turn them into U+FFFD and look for another file);
    /// `shown` names it in messages.
    static func resolve(bytes name: [UInt8], shown: String, searchPath: String?) throws(LaunchFailure) -> [UInt8] {
        guard !name.isEmpty else { throw .notFound("''") }
        let slash = UInt8(ascii: "/")
        if name.contains(slash) {
            try check(name, as: shown)
            return name
        }
        var denied: LaunchFailure?
        for directory in Array((searchPath ?? defaultSearchPath).utf8).split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? [UInt8(ascii: ".")] : Array(directory)) + [slash] + name
            do {
                try check(candidate, as: shown)
                return candidate
            } catch .notFound {
                continue
            } catch {
                // Like execvp: remember that one was there but not runnable,
                // and keep looking for a runnable one further on.
                denied = denied ?? error
            }
        }
        throw denied ?? .notFound(shown)
    }

    private static func check(_ path: [UInt8], as name: String) throws(LaunchFailure) {
        var status = stat()
        let found = (path + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { text -> (Int32, Int32, Bool) in
                var result: Int32
                repeat { result = stat(text.baseAddress!, &status) } while result == -1 && errno == EINTR
                let error = errno
                return (result, error, result == 0 && access(text.baseAddress!, X_OK) == 0)
            }
        }
        if found.0 != 0 {
            let error = Errno(found.1)
            if error == .noSuchFile || error == Errno(ENOTDIR) { throw .notFound(name) }
            throw .cannotInvoke(name, reason: error.description)
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            throw .cannotInvoke(name, reason: "is a directory")
        }
        if !found.2 {
            throw .cannotInvoke(name, reason: "permission denied (is it executable? try chmod +x)")
        }
    }
}
