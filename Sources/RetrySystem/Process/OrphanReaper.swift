import CRetry
import Dispatch
import RetryCore

/// Reaps every child of `retry` as it exits when `retry` is PID 1 (a
/// container without an init) or a child subreaper: a command's background
/// process whose parent died is re-parented to `retry`, and unless `retry`
/// waits for it, it stays a zombie for as long as `retry` runs (days, for
/// a service wrapped as a container's entrypoint). tini and dumb-init do the
/// same with `waitpid(-1)`.
///
/// One thread blocks in `waitid(P_ALL, WEXITED | WNOWAIT)`, which names an
/// ended child without reaping it. A child Foundation started (the command,
/// a hook) has its exit posted first, from that status, and is then reaped
/// too: Foundation's own `waitpid` finds nothing (ECHILD) and reports an
/// exit that `ExitReport` ignores, since it is the second. Launches hold the
/// same lock from `run()` until the pid is registered, so a child is never
/// reaped before it is known to be one of Foundation's.
///
/// With every zombie reaped at once, whether a group is empty is `kill(-g,
/// 0)` alone, without /proc (which, in a PID namespace without its own
/// /proc, names other processes).
final class OrphanReaper: Sendable {
    /// Whether orphans are re-parented to `retry` at all; otherwise its only
    /// children are the ones Foundation started, and there is nothing to do.
    let adopts: Bool
    /// Foundation's children, by pid, with where their exit goes.
    private let owned = Locked<[pid_t: ExitReport]>([:])
    /// Signalled when a child is started, for a thread that found none.
    private let childStarted = DispatchSemaphore(value: 0)

    init() {
        adopts = getpid() == 1 || cretry_is_child_subreaper() != 0
        guard adopts else { return }
        // Without the thread (none can be made) orphans are reaped at the
        // end of each attempt, as before.
        try? SystemThread.start { [self] in run() }
    }

    /// Runs `launch` (which starts a child and returns its pid) with the
    /// lock held, and registers the pid as Foundation's, its exit going to
    /// `report`.
    func launching(_ report: ExitReport, _ launch: () throws -> pid_t) rethrows {
        guard adopts else {
            _ = try launch()
            return
        }
        try owned.withLock { owned in
            let pid = try launch()
            owned[pid] = report
        }
        childStarted.signal()
    }

    /// Foundation has reaped `pid`, or `retry` has.
    func disown(_ pid: pid_t) {
        guard adopts else { return }
        _ = owned.withLock { $0.removeValue(forKey: pid) }
    }

    private func run() {
        while true {
            var info = siginfo_t()
            if waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) == -1 {
                if errno == EINTR { continue }
                // ECHILD: no child at all, so no orphan can come either
                // until one is started; the timeout is a safety net.
                _ = childStarted.wait(timeout: .now() + .seconds(1))
                continue
            }
            let pid = info._sifields._sigchld.si_pid
            guard pid > 0 else { continue }
            let status = info._sifields._sigchld.si_status
            owned.withLock { owned in
                if let report = owned.removeValue(forKey: pid) {
                    report.post(pid: pid, info.si_code == CLD_EXITED ? .exited(status) : .signaled(status))
                }
                var reaped: Int32 = 0
                while waitpid(pid, &reaped, WNOHANG) == -1 && errno == EINTR {}
            }
        }
    }
}
