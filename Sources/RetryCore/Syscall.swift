#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `errno` value as a typed error.
public struct Errno: Error, Equatable, CustomStringConvertible {
    public let rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public static let interrupted = Errno(EINTR)
    public static let noSuchFile = Errno(ENOENT)
    public static let permissionDenied = Errno(EACCES)
    public static let noChildProcess = Errno(ECHILD)

    /// The C library's wording, in lowercase to fit our messages.
    public var description: String {
        guard let text = strerror(rawValue) else { return "error \(rawValue)" }
        let message = String(cString: text)
        return message.prefix(1).lowercased() + message.dropFirst()
    }
}

/// Thin wrappers over the system calls `retry` makes: each retries on EINTR
/// in one place and turns `errno` into `Errno`.
enum Syscall {
    /// Calls `body` until it does not fail with EINTR; -1 becomes `Errno`.
    static func retryingOnInterrupt<T: BinaryInteger>(_ body: () -> T) throws(Errno) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let error = Errno(errno)
            if error != .interrupted { throw error }
        }
    }

    /// Waits for `pid` to end without reaping it (`WNOWAIT`), so whoever owns
    /// the reaping (Foundation) still finds it; returns how it ended.
    static func waitForExitWithoutReaping(_ pid: pid_t) throws(Errno) -> Termination {
        var info = siginfo_t()
        _ = try retryingOnInterrupt { waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) }
        let status = info._sifields._sigchld.si_status
        return info.si_code == Int32(CLD_EXITED) ? .exited(status) : .signaled(status)
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

    /// `clock_gettime(CLOCK_MONOTONIC)` as a duration since an arbitrary origin.
    static func monotonicNow() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return .seconds(Int64(now.tv_sec)) + .nanoseconds(Int64(now.tv_nsec))
    }
}

/// `retry`'s own output: help and dry runs to stdout, messages to stderr.
public enum Output {
    case standardOutput, standardError

    public static func write(_ text: String, to stream: Output) {
        Syscall.writeAll(text, to: stream == .standardOutput ? 1 : 2)
    }
}
