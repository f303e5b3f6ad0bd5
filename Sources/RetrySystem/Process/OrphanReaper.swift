import RetryCore

/// Reaps the orphans `retry` adopts when it is PID 1 (a container without an
/// init) or a child subreaper: a command's background process whose parent
/// died is re-parented to `retry`, and unless `retry` waits for it, it stays
/// a zombie for as long as `retry` runs.
///
/// Foundation reaps the processes it started, and `waitid(WNOWAIT)` reads
/// the command's status before that; taking one of them here would steal
/// it. So the pids Foundation owns are spared, and every other child of
/// `retry` that has ended is reaped, one `waitpid(WNOHANG)` each.
final class OrphanReaper: Sendable {
    /// Whether orphans are re-parented to `retry` at all; otherwise its only
    /// children are the ones Foundation started, and there is nothing to do.
    let adopts: Bool
    private let owned = Locked<Set<pid_t>>([])

    init() {
        adopts = getpid() == 1 || cretry_is_child_subreaper() != 0
    }

    /// `pid` was started by Foundation, which will reap it.
    func own(_ pid: pid_t) {
        owned.withLock { _ = $0.insert(pid) }
    }

    /// Foundation has reaped `pid`.
    func disown(_ pid: pid_t) {
        owned.withLock { _ = $0.remove(pid) }
    }

    /// Reaps every ended child that Foundation does not own.
    func reap() {
        guard adopts else { return }
        let spared = owned.withLock { $0 }
        for child in Self.children() where !spared.contains(child) {
            var status: Int32 = 0
            _ = try? Syscall.retryingOnInterrupt { waitpid(child, &status, WNOHANG) }
        }
    }

    /// `retry`'s children, from each of its threads' `children` list in
    /// /proc (a child belongs to the thread that started it or adopted it).
    private static func children() -> [pid_t] {
        guard let tasks = opendir("/proc/self/task") else { return [] }
        defer { closedir(tasks) }
        var found: [pid_t] = []
        while let entry = readdir(tasks) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard Int32(name) != nil,
                  let fd = try? Syscall.open("/proc/self/task/\(name)/children", O_RDONLY | O_CLOEXEC) else { continue }
            defer { close(fd) }
            let text = Syscall.readAll(fd, limit: 1 << 20) ?? ""
            found += text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
        }
        return found
    }
}
