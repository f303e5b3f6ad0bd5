import RetryCore
import Foundation

/// Tears the command's process group down if `retry` dies without doing it
/// (SIGKILL, the OOM killer).
///
/// GNU `timeout` sets `PR_SET_PDEATHSIG` in the child between `fork` and
/// `exec`; Foundation `Process` offers no hook there, and a trampoline
/// `exec` per attempt would cost more than the attempt itself for a quick
/// command. Instead a small `/bin/sh` reads, from a pipe only `retry`
/// writes, the group of the attempt now running (0 for none). When `retry`
/// dies the pipe reaches end-of-file, and the watchdog sends SIGTERM to the
/// last group named, gives it up to `--kill-after`, and sends SIGKILL. It lives in a
/// process group of its own, so a Ctrl-C or a signal to the command's
/// group does not reach it.
final class OrphanWatchdog {
    static let script = """
        group=0
        while read -r line; do group=$line; done
        [ "$group" != 0 ] || exit 0
        kill -s TERM -- "-$group" 2>/dev/null || exit 0
        ticks=0
        while [ "$ticks" -lt "$1" ] && kill -s 0 -- "-$group" 2>/dev/null; do
            sleep 0.1
            ticks=$((ticks + 1))
        done
        kill -s KILL -- "-$group" 2>/dev/null
        exit 0
        """

    private var pipeEnd: Int32?
    private var current: Int32 = 0

    /// Names `group` as the one to tear down, starting the watchdog the
    /// first time (returns its pid then, which Foundation will reap); a
    /// watchdog that cannot start leaves `retry` as it was.
    @discardableResult
    func protect(_ group: Int32, grace: Duration) -> pid_t? {
        var started: pid_t?
        if pipeEnd == nil, let (end, pid) = Self.spawn(grace: grace) {
            pipeEnd = end
            started = pid
        }
        tell(group)
        return started
    }

    /// Says that no command is running (between attempts, and at the end).
    func clear() {
        if current != 0 { tell(0) }
    }

    /// Names the group to watch if a watchdog is running; a new attempt
    /// after the first protected one is protected from its start.
    func follow(_ group: Int32) {
        if pipeEnd != nil { tell(group) }
    }

    private func tell(_ group: Int32) {
        guard let pipeEnd else { return }
        current = group
        Syscall.writeAll("\(group)\n", to: pipeEnd)
    }

    private static func spawn(grace: Duration) -> (pipeEnd: Int32, pid: pid_t)? {
        guard let (readEnd, writeEnd) = try? Syscall.pipe() else { return nil }
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The grace in tenths of a second, the watchdog's polling step.
        let ticks = Int((grace.seconds * 10).rounded(.up))
        watchdog.arguments = ["-c", script, "retry-watchdog", String(ticks)]
        // Foundation hands the read end to the watchdog as its stdin.
        watchdog.standardInput = FileHandle(fileDescriptor: readEnd, closeOnDealloc: false)
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        do {
            try watchdog.run()
        } catch {
            close(readEnd)
            close(writeEnd)
            return nil
        }
        close(readEnd)
        return (writeEnd, watchdog.processIdentifier)
    }
}
