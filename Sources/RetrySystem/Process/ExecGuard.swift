import CRetry
import RetryCore

/// Ends the command's process group if `retry` dies without doing it
/// (SIGKILL, the OOM killer): `retry-exec --guard`, one small C process per
/// run, in a process group of its own, reading from a pipe only `retry`
/// holds. `retry` writes the group of each attempt (and hook) before the
/// helper may exec it, and 0 when it has ended; at end-of-file, the guard
/// sends the last group named SIGTERM, waits up to `--kill-after`, and
/// sends SIGKILL.
///
/// Started before the first attempt, so every process of every command is
/// covered from its first instant (the helper waits for `retry`'s "go",
/// sent after the group is written here).
final class ExecGuard {
    private var pipeEnd: Int32?
    private var current: Int32 = 0

    /// Starts the guard if it is not running; returns its pid then (it is
    /// `retry`'s child, which the orphan reaper may reap).
    func start(helper: String) throws(LaunchFailure) -> pid_t? {
        guard pipeEnd == nil else { return nil }
        let ends: (read: Int32, write: Int32)
        do throws(Errno) {
            ends = try Syscall.pipe()
        } catch {
            throw .setup("cannot make a pipe for retry's guard: \(error)")
        }
        let pid = cretry_spawn_guard(helper, ends.read)
        let spawnError = Errno(errno)
        close(ends.read)
        guard pid > 0 else {
            close(ends.write)
            throw ExecHelper.failure("cannot be started as the guard: \(spawnError)")
        }
        pipeEnd = ends.write
        return pid
    }

    /// Names `group` as the one to end, with `grace` between SIGTERM and SIGKILL.
    func watch(_ group: Int32, grace: Duration) {
        tell("\(group) \(grace.wholeMilliseconds)\n")
        current = group
    }

    /// Says that no command is running (between attempts, and at the end).
    func clear() {
        guard current != 0 else { return }
        tell("0 0\n")
        current = 0
    }

    private func tell(_ line: String) {
        guard let pipeEnd else { return }
        Syscall.writeAll(line, to: pipeEnd)
    }
}
