import RetryCore
/// Signals and liveness of a process group.
enum ProcessGroup {
    /// `killpg`; a group that is already gone is not an error here.
    static func signal(_ group: pid_t, _ signal: Int32) {
        _ = try? Syscall.retryingOnInterrupt { killpg(group, signal) }
    }

    /// Whether a process of `group` other than a zombie exists.
    ///
    /// `kill(-g, 0)` alone counts zombies: the command's own, which
    /// Foundation reaps only once every holder of its inherited socket is
    /// gone, and orphans adopted by a parent that never reaps them (a PID 1
    /// that is not an init, a non-reaping subreaper). So while the leader is
    /// an unreaped zombie, Foundation is given a millisecond to reap it (it
    /// usually does when the group has emptied); then /proc decides, at the
    /// cost of reading every process's `stat`, which grows with the host's
    /// process count.
    /// When `zombiesAreReaped` (`OrphanReaper` runs: `retry` is PID 1 or a
    /// subreaper), `kill(-g, 0)` alone decides.
    static func isAlive(_ group: pid_t, zombiesAreReaped: Bool = false) -> Bool {
        if !anyMemberExists(group) { return false }
        if zombiesAreReaped { return true }
        // A /proc of another PID namespace (`unshare --pid` without
        // --mount-proc) names other processes: zombies are counted then,
        // and teardown ends by its time limit after SIGKILL.
        guard ProcStat.isOurs else { return true }
        if let leader = ProcStat.read(group) {
            if !leader.isZombie { return true }
            for _ in 0..<reapChecks {
                var pause = timespec(tv_sec: 0, tv_nsec: 500_000)
                _ = nanosleep(&pause, nil)
                if !anyMemberExists(group) { return false }
            }
        }
        return ProcStat.anyLiveMember(of: group)
    }

    /// How many times, half a millisecond apart, to look for Foundation's reap.
    private static let reapChecks = 2

    /// `kill(-g, 0)`: true while the group has any member, zombies included.
    private static func anyMemberExists(_ group: pid_t) -> Bool {
        !(kill(-group, 0) == -1 && errno == ESRCH)
    }
}
