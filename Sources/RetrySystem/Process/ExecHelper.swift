import RetryCore

/// `retry-exec`, the small C program each attempt starts in place of the
/// command and which becomes it (see Sources/retry-exec/main.c): it sets
/// PR_SET_PDEATHSIG so that a `retry` killed with SIGKILL takes the command
/// with it, resets the signals a fresh program expects, and passes the
/// arguments and environment byte for byte.
///
/// It is looked for beside the `retry` executable, then in
/// `../libexec/retry/` from there (where `make install` puts it). Without
/// it the command is started directly, without those guarantees.
enum ExecHelper {
    /// The helper's path, or nil when it is not installed.
    static let path: String? = {
        // Bytes, not Characters: a Character search wakes the grapheme
        // machinery, 0.24 million instructions at every start (callgrind).
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = buffer.withUnsafeMutableBytes { readlink("/proc/self/exe", $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
        guard length > 0, let slash = buffer[..<length].lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let directory = String(decoding: buffer[..<slash], as: UTF8.self)
        for candidate in [directory + "/retry-exec", directory + "/../libexec/retry/retry-exec"] where Syscall.isExecutable(candidate) {
            return candidate
        }
        return nil
    }()

    /// `retry`'s own pid, which the helper checks is still its parent.
    private static let parent = getpid()

    /// The helper's arguments: run `path` with `arguments` (bytes, argv[0]
    /// first), after setting `environment` entries (`NAME=VALUE` bytes).
    static func arguments(path: [UInt8], arguments: [[UInt8]], environment: [[UInt8]]) -> [String] {
        [String(parent), item("x", path)] + arguments.map { item("a", $0) } + environment.map { item("e", $0) }
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
