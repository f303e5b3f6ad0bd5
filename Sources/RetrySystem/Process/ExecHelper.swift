import CRetry
import RetryCore

/// `retry-exec`, the small C program each attempt starts in place of the
/// command and which becomes it, and which, in its other mode, is the guard
/// (see Sources/retry-exec/main.c and `ExecGuard`).
///
/// It is looked for beside the `retry` executable, then in
/// `../libexec/retry/` from there (where `make install` puts it). Without
/// it the command is started directly, without the guard, PR_SET_PDEATHSIG
/// or byte-exact arguments: `-v` says so once, and `--version` says where
/// the helper was found or looked for.
enum ExecHelper {
    /// What was found where the helper should be.
    enum Finding: Equatable {
        case found(String)
        /// Not at any of these paths.
        case missing([String])
        /// At this path, but not a regular file retry may execute.
        case broken(String, reason: String)
    }

    static let finding: Finding = {
        // Bytes, not Characters: a Character search wakes the grapheme
        // machinery, 0.24 million instructions at every start (callgrind).
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = buffer.withUnsafeMutableBytes { readlink("/proc/self/exe", $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
        guard length > 0, let slash = buffer[..<length].lastIndex(of: UInt8(ascii: "/")) else {
            return .missing(["retry-exec beside retry (/proc/self/exe is unreadable)"])
        }
        let directory = String(decoding: buffer[..<slash], as: UTF8.self)
        let candidates = [directory + "/retry-exec", directory + "/../libexec/retry/retry-exec"]
        for candidate in candidates {
            guard let status = try? Syscall.fileStatus(candidate) else { continue }
            if status.st_mode & S_IFMT != S_IFREG { return .broken(candidate, reason: "not a regular file") }
            if !Syscall.isExecutable(candidate) { return .broken(candidate, reason: "not executable") }
            return .found(candidate)
        }
        return .missing(candidates)
    }()

    /// The helper's path, or nil when it is missing (a broken one fails each launch).
    static var path: String? {
        switch finding {
        case .found(let path), .broken(let path, _): path
        case .missing: nil
        }
    }

    /// For `--version`: where the helper is, or what is wrong with it.
    static var description: String {
        switch finding {
        case .found(let path): "helper: \(path)"
        case .missing(let paths): "helper: not found (looked for \(paths.joined(separator: " and "))): " + consequence
        case .broken(let path, let reason): "helper: \(path) is \(reason): reinstall retry"
        }
    }

    /// For `-v`: nil when the helper is in place.
    static var problem: String? {
        switch finding {
        case .found: nil
        case .missing: "the helper retry-exec was not found beside retry or in ../libexec/retry: " + consequence
        case .broken(let path, let reason): "the helper \(path) is \(reason): reinstall retry"
        }
    }

    private static let consequence = "commands run without it, so a retry killed with SIGKILL leaves them running"

    /// The failure of a launch through a helper that is not in working order.
    static func failure(_ reason: String) -> LaunchFailure {
        .setup("the helper \(path ?? "retry-exec") \(reason); is it retry's retry-exec? reinstall retry")
    }

    /// `retry`'s own pid, which the helper checks is still its parent.
    private static let parent = getpid()

    /// The helper's arguments: run `path` with `arguments` (bytes, argv[0]
    /// first), after setting `environment` entries (`NAME=VALUE` bytes).
    static func arguments(path: [UInt8], arguments: [[UInt8]], environment: [[UInt8]]) -> [String] {
        [String(parent), item("x", path)] + arguments.map { item("a", $0) } + environment.map { item("e", $0) }
    }

    /// Tells the helper `pid` to go on (its group is known to the guard),
    /// then waits for it to say it is about to exec the command. Fails when
    /// it ends without saying so (a file that is not retry's helper) or stays
    /// silent for `patience`.
    static func handshake(with pid: pid_t) throws(LaunchFailure) {
        kill(pid, cretry_handshake_signal())
        var waited = 0
        while waited < patienceMilliseconds {
            switch cretry_await_handshake(pid, 5) {
            case 1: return
            case 0: break
            default: throw failure("could not be heard from: \(Errno(errno))")
            }
            waited += 5
            if let status = endedWithoutReaping(pid) {
                throw failure("ended\(status.isEmpty ? "" : " (\(status))") without starting the command")
            }
        }
        throw failure("did not start the command within \(patienceMilliseconds / 1000) s")
    }

    private static let patienceMilliseconds = 10_000

    /// How `pid` ended, if it has (read without reaping it: Foundation does).
    private static func endedWithoutReaping(_ pid: pid_t) -> String? {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if result == -1 { return errno == ECHILD ? "" : nil }
        guard info._sifields._sigchld.si_pid == pid else { return nil }
        let status = info._sifields._sigchld.si_status
        return info.si_code == CLD_EXITED ? "exit status \(status)" : "killed by \(SignalName.of(status))"
    }

    /// `kind` and the bytes as they are when they are UTF-8 (and hold no
    /// NUL, which no C string can); otherwise the upper-case kind and hex.
    private static func item(_ kind: Character, _ bytes: [UInt8]) -> String {
        if !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) {
            return String(kind) + text
        }
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(bytes.count * 2)
        for byte in bytes { hex += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return kind.uppercased() + String(decoding: hex, as: UTF8.self)
    }
}
