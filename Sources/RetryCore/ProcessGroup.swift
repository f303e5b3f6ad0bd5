#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Signals and liveness of a process group.
enum ProcessGroup {
    /// `killpg`; a group that is already gone is not an error here.
    static func signal(_ group: pid_t, _ signal: Int32) {
        _ = try? Syscall.retryingOnInterrupt { killpg(group, signal) }
    }

    /// Whether a process of `group` other than a zombie exists. `kill(-g, 0)`
    /// alone counts the zombie of the command itself, which Foundation reaps
    /// only once every descendant is gone; so when it says yes, /proc decides.
    static func isAlive(_ group: pid_t) -> Bool {
        if kill(-group, 0) == -1 && errno == ESRCH { return false }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return true }
        for entry in entries where entry.first?.isNumber == true {
            if let fields = ProcStat.fields(of: entry), ProcStat.group(fields) == "\(group)", !ProcStat.isZombie(fields) {
                return true
            }
        }
        return false
    }
}
