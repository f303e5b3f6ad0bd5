#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The fields of `/proc/PID/stat` that follow the command name, which may
/// itself hold spaces and parentheses: state is field 0, the process group
/// field 2, the start time (clock ticks after boot) field 19.
enum ProcStat {
    static func fields(of pid: String) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    static func isZombie(_ fields: [Substring]) -> Bool { fields.first == "Z" }
    static func group(_ fields: [Substring]) -> Substring? { fields.count > 2 ? fields[2] : nil }
    static func startTime(_ fields: [Substring]) -> UInt64? { fields.count > 19 ? UInt64(fields[19]) : nil }

    /// The state letter of `pid` (`R`, `S`, `Z`...), or nil if it is gone.
    static func state(of pid: pid_t) -> UInt8? {
        var path = Array("/proc/\(pid)/stat".utf8CString)
        var reader = StatReader()
        return path.withUnsafeMutableBufferPointer { reader.read(at: AT_FDCWD, $0.baseAddress!)?.state }
    }

    /// Whether any process but a zombie is in `group`, by reading the `stat`
    /// of every process, without Foundation: this runs on a host's every
    /// process, every few milliseconds while a group is being cleared.
    static func anyLiveMember(of group: pid_t) -> Bool {
        guard let directory = opendir("/proc") else { return true }
        defer { closedir(directory) }
        let procFD = dirfd(directory)
        var reader = StatReader()
        // "<pid>/stat", relative to /proc.
        var path = [CChar](repeating: 0, count: 32)
        while let entry = readdir(directory) {
            let length = withUnsafeBytes(of: &entry.pointee.d_name) { name -> Int in
                var count = 0
                while count < name.count, count < 20, name[count] != 0 {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(name[count]) else { return 0 }
                    path[count] = CChar(bitPattern: name[count])
                    count += 1
                }
                return count
            }
            guard length > 0 else { continue }
            for (offset, byte) in "/stat".utf8.enumerated() { path[length + offset] = CChar(bitPattern: byte) }
            path[length + 5] = 0
            guard let stat = path.withUnsafeMutableBufferPointer({ reader.read(at: procFD, $0.baseAddress!) }) else { continue }
            if stat.group == group && stat.state != UInt8(ascii: "Z") { return true }
        }
        return false
    }
}

/// Reads the state and process group out of one `stat` file into a buffer
/// it keeps, so that a scan of every process allocates nothing per process.
struct StatReader {
    private var buffer = [UInt8](repeating: 0, count: 1024)

    mutating func read(at directory: Int32, _ path: UnsafePointer<CChar>) -> (state: UInt8, group: pid_t)? {
        guard let fd = try? Syscall.retryingOnInterrupt({ openat(directory, path, O_RDONLY | O_CLOEXEC) }) else { return nil }
        defer { close(fd) }
        let capacity = buffer.count
        guard let count = try? buffer.withUnsafeMutableBytes({ bytes in
            try Syscall.retryingOnInterrupt { Glibc.read(fd, bytes.baseAddress, capacity) }
        }), count > 0 else { return nil }
        return Self.parse(buffer[..<count])
    }

    /// "PID (NAME) S PPID PGRP ...": the name may hold ") ", so the last ')' counts.
    static func parse(_ text: ArraySlice<UInt8>) -> (state: UInt8, group: pid_t)? {
        guard let close = text.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = text[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 3)
        guard fields.count >= 3, let state = fields[0].first, let group = pid_t(decimal: fields[2]) else { return nil }
        return (state, group)
    }
}

private extension pid_t {
    /// A non-negative decimal number of ASCII digits, or nil.
    init?(decimal digits: ArraySlice<UInt8>) {
        guard !digits.isEmpty, digits.count < 11 else { return nil }
        var value: Int64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        guard let exact = pid_t(exactly: value) else { return nil }
        self = exact
    }
}
