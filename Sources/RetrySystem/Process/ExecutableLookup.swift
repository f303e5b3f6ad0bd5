import RetryCore
/// Finds the file a command name runs, as `execvp` would: a name with a
/// slash is a path; otherwise the first executable regular file of that name
/// in `PATH`. Foundation `Process` searches nothing, so this is ours to do,
/// and it is where 126 and 127 are told apart.
package enum ExecutableLookup {
    /// glibc's default when `PATH` is unset.
    static let defaultSearchPath = "/bin:/usr/bin"

    package static func resolve(_ name: String, searchPath: String?) throws(LaunchFailure) -> String {
        guard !name.isEmpty else { throw .notFound("''") }
        if name.contains("/") {
            try check(name, as: name)
            return name
        }
        var denied: LaunchFailure?
        for directory in (searchPath ?? defaultSearchPath).split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            do {
                try check(candidate, as: name)
                return candidate
            } catch .notFound {
                continue
            } catch {
                // Like execvp: remember that one was there but not runnable,
                // and keep looking for a runnable one further on.
                denied = denied ?? error
            }
        }
        throw denied ?? .notFound(name)
    }

    private static func check(_ path: String, as name: String) throws(LaunchFailure) {
        let status: stat
        do {
            status = try Syscall.fileStatus(path)
        } catch where error == .noSuchFile || error == Errno(ENOTDIR) {
            throw .notFound(name)
        } catch {
            throw .cannotInvoke(name, reason: error.description)
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            throw .cannotInvoke(name, reason: "is a directory")
        }
        if !Syscall.isExecutable(path) {
            throw .cannotInvoke(name, reason: "permission denied (is it executable? try chmod +x)")
        }
    }
}
