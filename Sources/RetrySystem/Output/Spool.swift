import RetryCore
/// A private temporary file, unlinked as soon as it is made, so nothing is
/// left behind however `retry` ends: stdin kept for `--stdin replay`, or an
/// attempt's stdout held back by `--hold-output`.
final class Spool {
    let fd: Int32

    /// Creates it in `$TMPDIR` (or /tmp), mode 0600.
    init(directory: String?) throws(Errno) {
        var template = Array(((directory.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/retry-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Errno(errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Copies all of `source` into the spool and rewinds it, or throws why not.
    func fill(from source: Int32) throws(Errno) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = try Syscall.retryingOnInterrupt { read(source, &buffer, buffer.count) }
            if count == 0 { break }
            try Syscall.writeFully(buffer[..<count], to: fd)
        }
        guard rewind() else { throw Errno(errno) }
    }

    /// Back to the start, for the next reader.
    @discardableResult
    func rewind() -> Bool { lseek(fd, 0, SEEK_SET) == 0 }

    /// Empties it for the next attempt.
    func reset() {
        _ = ftruncate(fd, 0)
        rewind()
    }

    /// Writes everything spooled to `destination`.
    func copy(to destination: Int32) {
        rewind()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while let count = try? Syscall.retryingOnInterrupt({ read(fd, &buffer, buffer.count) }), count > 0 {
            guard (try? Syscall.writeFully(buffer[..<count], to: destination)) != nil else { return }
        }
    }
}
