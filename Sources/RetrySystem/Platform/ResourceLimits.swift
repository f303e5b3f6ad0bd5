import RetryCore

/// Checks, at start-up, the limits under which `retry` could not work,
/// so that they give one clear line and status 125 rather than a crash.
/// (The stack limit is checked before any other Swift code runs: `cretry_startup`.)
package enum ResourceLimits {
    /// The descriptors `retry` may need at once beyond those already open:
    /// the signal pipe, Foundation's socket pair and /proc scan, the output
    /// relay's four pipes and its own descriptors for a pipe, two spools,
    /// the state files and their locks, with room to spare. Below it,
    /// Dispatch cannot make its epoll descriptor and traps (SIGILL).
    package static let descriptorsNeeded = 32

    /// Closes the descriptors at or above the open-files limit (which no
    /// command could be handed: Foundation refuses to spawn while one is
    /// open, "Bad file descriptor"), then says what is wrong if too few
    /// descriptors are left; nil when all is well.
    package static func prepare() -> String? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        let soft = Int(clamping: limit.rlim_cur)
        guard let open = openDescriptors() else { return nil }
        for fd in open where fd >= soft { close(Int32(fd)) }
        let inUse = open.filter { $0 < soft }.count
        guard soft - inUse < descriptorsNeeded else { return nil }
        return "too few file descriptors: the limit is \(soft) (ulimit -n) and \(inUse) are open; retry needs \(descriptorsNeeded) more (raise ulimit -n to \(inUse + descriptorsNeeded) or more)"
    }

    /// The open descriptors, from /proc/self/fd (the listing's own excluded).
    package static func openDescriptors() -> [Int]? {
        guard let listing = opendir("/proc/self/fd") else { return nil }
        defer { closedir(listing) }
        let own = Int(dirfd(listing))
        var found: [Int] = []
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int(name), fd != own { found.append(fd) }
        }
        return found
    }
}
