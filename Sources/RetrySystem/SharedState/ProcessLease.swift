import Foundation
import RetryCore

/// Identifies a process across pid reuse, for the breaker's trial lease.
enum ProcessLease {
    static func current() -> BreakerState.Lease {
        BreakerState.Lease(pid: getpid(), processStart: startTime(of: getpid()) ?? 0)
    }

    /// Whether the lease holder still runs: same pid, same start time, not a zombie.
    static func isAlive(_ lease: BreakerState.Lease) -> Bool {
        guard let entry = ProcStat.read(lease.pid), !entry.isZombie else { return false }
        return entry.startTime == lease.processStart
    }

    private static func startTime(of pid: Int32) -> UInt64? {
        ProcStat.read(pid)?.startTime
    }
}
