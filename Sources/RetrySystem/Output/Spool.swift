import RetryCore
/// A private temporary file that no name ever points to, so nothing is left
/// behind however `retry` ends: stdin kept for `--stdin replay`, or an
/// attempt's stdout held back by `--hold-output`. O_TMPFILE makes it
/// nameless from the start; where the file system lacks it, a name made by
/// mkstemp is unlinked at once (a SIGKILL between the two would leave it).
final class Spool {
    let fd: Int32

    /// Creates it in `$TMPDIR` (or /tmp), mode 0600.
    init(directory: String?) throws(Errno) {
        let directory = directory.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let nameless = Glibc.open(directory, Self.temporaryFile | O_RDWR | O_CLOEXEC, 0o600)
        if nameless >= 0 {
            fd = nameless
            return
        }
        var template = Array((directory + "/retry-XXXXXX").utf8CString)
        let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard named >= 0 else { throw Errno(errno) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(named, F_SETFD, FD_CLOEXEC)
        fd = named
    }

    /// O_TMPFILE, a macro that Swift does not import.
    private static let temporaryFile: Int32 = 0o20000000 | O_DIRECTORY

    deinit { close(fd) }

    /// Copies all of `source` into the spool and rewinds it, or throws why
    /// not; EINTR when `wake` became readable first (a signal to `retry`),
    /// since a terminal or an open pipe may never reach its end.
    func fill(from source: Int32, wake: Int32) throws(Errno) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var polled = [pollfd(fd: source, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        while true {
            _ = try Syscall.retryingOnInterrupt { poll(&polled, 2, -1) }
            if polled[1].revents != 0 { throw .interrupted }
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

    /// Writes everything spooled to `destination`; says what was lost if
    /// not all of it could be: `abandon` readable (a signal to `retry`)
    /// gives up at once, a reader that takes nothing for
    /// `OutputSink.readerIdleLimit` is given up.
    func copy(to destination: Int32, abandon: Int32) -> OutputLoss? {
        rewind()
        let sink = OutputSink(destination)
        defer { sink.close() }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count: Int
            do {
                count = try Syscall.retryingOnInterrupt { read(fd, &buffer, buffer.count) }
            } catch {
                return .failed("--hold-output: cannot read back the held output: \(error)")
            }
            if count == 0 { return nil }
            let result = buffer.withUnsafeBytes { sink.write(UnsafeRawBufferPointer(rebasing: $0[..<count]), abandon: abandon, idleLimit: OutputSink.readerIdleLimit) }
            switch result {
            case .written: continue
            case .readerGone: return .readerGone
            case .abandoned: return .failed("the held output was not all published: retry was stopped")
            case .stalled:
                return .failed("the reader of the held output took nothing for \(DurationText.format(OutputSink.readerIdleLimit)); the rest of it was dropped")
            case .failed(let error): return .failed("cannot write the held output to stdout: \(error)")
            }
        }
    }
}
