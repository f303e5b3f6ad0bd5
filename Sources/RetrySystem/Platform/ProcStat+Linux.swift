import RetryCore
/// What `retry` reads from `/proc/PID/stat`: the state letter, the process
/// group and the start time (clock ticks after boot), without Foundation:
/// a group's teardown reads it for every process on the host.
enum ProcStat {
    struct Entry: Equatable {
        let state: UInt8
        let group: pid_t
        let startTime: UInt64?

        var isZombie: Bool { state == UInt8(ascii: "Z") }
    }

    /// Whether /proc shows `retry`'s own PID namespace, where its pids mean
    /// the processes `retry` signals.
    static let isOurs: Bool = {
        var buffer = [CChar](repeating: 0, count: 32)
        let length = readlink("/proc/self", &buffer, buffer.count - 1)
        return length > 0 && String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) == String(getpid())
    }()

    /// `pid`'s entry, or nil if it is gone.
    static func read(_ pid: pid_t) -> Entry? {
        var path = Array("/proc/\(pid)/stat".utf8CString)
        var reader = StatReader()
        return path.withUnsafeMutableBufferPointer { reader.read(at: AT_FDCWD, $0.baseAddress!) }
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
            if stat.group == group && !stat.isZombie { return true }
        }
        return false
    }
}

/// Reads one `stat` file into a buffer it keeps, so that a scan of every
/// process allocates nothing per process.
struct StatReader {
    private var buffer = [UInt8](repeating: 0, count: 1024)

    mutating func read(at directory: Int32, _ path: UnsafePointer<CChar>) -> ProcStat.Entry? {
        guard let fd = try? Syscall.retryingOnInterrupt({ openat(directory, path, O_RDONLY | O_CLOEXEC) }) else { return nil }
        defer { close(fd) }
        let capacity = buffer.count
        guard let count = try? buffer.withUnsafeMutableBytes({ bytes in
            try Syscall.retryingOnInterrupt { Glibc.read(fd, bytes.baseAddress, capacity) }
        }), count > 0 else { return nil }
        return Self.parse(buffer[..<count])
    }

    /// "PID (NAME) S PPID PGRP ... STARTTIME ...": the name may hold ") ",
    /// so the last ')' counts; the start time is the 20th field after it.
    static func parse(_ text: ArraySlice<UInt8>) -> ProcStat.Entry? {
        guard let close = text.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = text[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 20)
        guard fields.count >= 3, let state = fields[0].first,
              let group = decimal(fields[2]).flatMap({ pid_t(exactly: $0) }) else { return nil }
        return ProcStat.Entry(state: state, group: group, startTime: fields.count > 19 ? decimal(fields[19]) : nil)
    }

    /// A non-negative decimal number of ASCII digits, or nil.
    private static func decimal(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count < 20 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + UInt64(digit - UInt8(ascii: "0"))
        }
        return value
    }
}
