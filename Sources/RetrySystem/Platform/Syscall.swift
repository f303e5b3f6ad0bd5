import RetryCore

/// Thin wrappers over the system calls `retry` makes: each retries on EINTR
/// in one place and turns `errno` into `Errno`.
package enum Syscall {
    /// Calls `body` until it does not fail with EINTR; -1 becomes `Errno`.
    static func retryingOnInterrupt<T: BinaryInteger>(_ body: () -> T) throws(Errno) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let error = Errno(errno)
            if error != .interrupted { throw error }
        }
    }

    /// Waits for `pid` to end or stop. An end is not reaped (`WNOWAIT`), so
    /// whoever owns the reaping (Foundation) still finds it; a stop is
    /// consumed, so the next wait waits for the next change. Returns how it
    /// ended, or nil for a stop.
    static func waitForExitOrStop(_ pid: pid_t) throws(Errno) -> Termination? {
        var info = siginfo_t()
        _ = try retryingOnInterrupt { waitid(P_PID, id_t(pid), &info, WEXITED | WSTOPPED | WNOWAIT) }
        let status = info._sifields._sigchld.si_status
        switch info.si_code {
        case Int32(CLD_EXITED): return .exited(status)
        case Int32(CLD_STOPPED), Int32(CLD_TRAPPED):
            var consumed = siginfo_t()
            _ = try? retryingOnInterrupt { waitid(P_PID, id_t(pid), &consumed, WSTOPPED | WNOHANG) }
            return nil
        default: return .signaled(status)
        }
    }

    /// Puts /dev/null, close-on-exec, on each of fds 0, 1 and 2 that is
    /// closed, before anything else opens a file: otherwise the first pipe
    /// would take fd 1 or 2 and retry's own messages would be read back as
    /// signals. The command still finds them closed. Each is opened the
    /// wrong way round (stdin write-only, stdout and stderr read-only), so
    /// that using one still fails with EBADF, as on a closed descriptor:
    /// `retry --help >&-` must not claim a success.
    package static func occupyClosedStandardStreams() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = Glibc.open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_CLOEXEC)
            if opened != fd && opened >= 0 { close(opened) }
        }
    }

    /// `pipe(2)`, both ends close-on-exec: a command gets only the ends it
    /// is handed as its standard streams.
    static func pipe() throws(Errno) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw Errno(errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// `open(2)`.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(Errno) -> Int32 {
        try retryingOnInterrupt { Glibc.open(path, flags, mode) }
    }

    /// `lstat(2)`: the status of the path itself, not of what a link names.
    static func linkStatus(_ path: String) throws(Errno) -> stat {
        var status = stat()
        _ = try retryingOnInterrupt { lstat(path, &status) }
        return status
    }

    /// Reads `fd` to its end; nil on an error or past `limit` bytes.
    static func readAll(_ fd: Int32, limit: Int) -> String? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            guard let count = try? retryingOnInterrupt({ read(fd, &buffer, buffer.count) }) else { return nil }
            if count == 0 { return String(decoding: data, as: UTF8.self) }
            data += buffer[0..<count]
            if data.count > limit { return nil }
        }
    }

    /// Writes all of `text` to `fd`, or throws.
    static func writeFully(_ text: String, to fd: Int32) throws(Errno) {
        try writeFully(Array(text.utf8)[...], to: fd)
    }

    /// Writes all of `bytes` to `fd`, or throws.
    static func writeFully(_ bytes: ArraySlice<UInt8>, to fd: Int32) throws(Errno) {
        var bytes = bytes
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                Result { () throws(Errno) in try retryingOnInterrupt { write(fd, buffer.baseAddress, buffer.count) } }
            }
            bytes = bytes.dropFirst(try written.get())
        }
    }

    /// Whether `fd` is a pipe or FIFO that nothing reads any more: `poll`
    /// reports POLLERR on a pipe's write end once its last reader closed.
    static func isPipeWithoutReader(_ fd: Int32) -> Bool {
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFIFO else { return false }
        var poller = pollfd(fd: fd, events: 0, revents: 0)
        return poll(&poller, 1, 0) == 1 && poller.revents & Int16(POLLERR) != 0
    }

    /// `stat(2)`.
    static func fileStatus(_ path: String) throws(Errno) -> stat {
        var status = stat()
        _ = try retryingOnInterrupt { stat(path, &status) }
        return status
    }

    /// Whether the calling process may execute `path` (`access(2)` with X_OK).
    static func isExecutable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }

    /// Writes all of `text` to `fd`; a closed or broken descriptor is ignored,
    /// since messages must never be what makes a run fail.
    static func writeAll(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = try? bytes.withUnsafeBytes { buffer throws(Errno) in
                try retryingOnInterrupt { write(fd, buffer.baseAddress, buffer.count) }
            }
            guard let written, written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// `nanosleep(2)` for `duration`; a signal may end it early.
    package static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var pause = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        _ = nanosleep(&pause, nil)
    }

    /// `clock_gettime(CLOCK_MONOTONIC)` as a duration since an arbitrary origin.
    static func monotonicNow() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return .seconds(Int64(now.tv_sec)) + .nanoseconds(Int64(now.tv_nsec))
    }
}
