import RetryCore

/// One destination of the command's output or of `retry`'s own messages
/// (`retry`'s stdout or stderr, or a hold spool), written so that a stalled
/// reader can never hold `retry` for good: a write never blocks, and a full
/// pipe is waited for with poll(2), beside a descriptor that gives up.
///
/// `retry` must not set O_NONBLOCK on the descriptors it inherited: the
/// flag belongs to the open file, which its parent and the command share.
/// So a pipe or a terminal is reopened through /proc/self/fd, which gives
/// `retry` an open file of its own on the same pipe or terminal, and a
/// socket is written with MSG_DONTWAIT. A regular file is written as it is
/// (it does not wait for a reader). Where the reopening fails, a pipe or
/// terminal is written at most `PIPE_BUF` bytes at a time once poll(2) says
/// it can take some, which the kernel writes without waiting.
struct OutputSink {
    enum Result: Equatable {
        case written
        /// The reader has gone (EPIPE).
        case readerGone
        case failed(Errno)
        /// `abandon` became readable while the reader took nothing.
        case abandoned
        /// The reader took nothing for the idle limit.
        case stalled
    }

    /// What one write that does not wait did.
    enum Attempt: Equatable {
        case wrote(Int)
        /// The destination is full; poll(2) for POLLOUT on `fd`.
        case full
        case readerGone
        case failed(Errno)
    }

    /// How long a reader may take nothing before what is left for it is
    /// given up (the command's output after it ended, held output, messages).
    static let readerIdleLimit = Duration.seconds(10)

    let fd: Int32
    private let owned: Bool
    private let isSocket: Bool
    /// Writes at most `PIPE_BUF` bytes at a time: a pipe or terminal that
    /// could not be reopened non-blocking.
    private let smallWrites: Bool

    init(_ fd: Int32) {
        var status = stat()
        let kind = fstat(fd, &status) == 0 ? status.st_mode & S_IFMT : 0
        isSocket = kind == S_IFSOCK
        let waitsForReader = kind == S_IFIFO || (kind == S_IFCHR && isatty(fd) == 1)
        if waitsForReader {
            let reopened = Glibc.open("/proc/self/fd/\(fd)", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
            if reopened >= 0 {
                self.fd = reopened
                owned = true
                smallWrites = false
                return
            }
        }
        self.fd = fd
        owned = false
        smallWrites = waitsForReader
    }

    /// Closes the descriptor if it is the sink's own.
    func close() {
        if owned { _ = Glibc.close(fd) }
    }

    /// Writes what the destination takes now of `bytes`, without waiting.
    func attempt(_ bytes: UnsafeRawBufferPointer) -> Attempt {
        let size = smallWrites ? min(bytes.count, Int(PIPE_BUF)) : bytes.count
        while true {
            let count = isSocket ? send(fd, bytes.baseAddress!, size, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                                 : Glibc.write(fd, bytes.baseAddress!, size)
            if count > 0 { return .wrote(count) }
            let error = count < 0 ? Errno(errno) : Errno(EIO)
            switch error {
            case .interrupted: continue
            case Errno(EAGAIN): return .full
            case Errno(EPIPE): return .readerGone
            default: return .failed(error)
            }
        }
    }

    /// Writes all of `bytes`, waiting whenever the reader is not ready,
    /// until `abandon` is readable or the reader has taken nothing for
    /// `idleLimit` (nil: no limit; zero: no wait at all).
    func write(_ bytes: UnsafeRawBufferPointer, abandon: Int32, idleLimit: Duration? = nil,
               progress: (Int) -> Void = { _ in }) -> Result {
        var offset = 0
        while offset < bytes.count {
            switch attempt(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .wrote(let count):
                offset += count
                progress(count)
            case .full:
                switch wait(abandon: abandon, idleLimit: idleLimit) {
                case .ready: continue
                case .abandoned: return .abandoned
                case .stalled: return .stalled
                }
            case .readerGone: return .readerGone
            case .failed(let error): return .failed(error)
            }
        }
        return .written
    }

    private enum Readiness { case ready, abandoned, stalled }

    /// Waits until the sink can take more, at most `idleLimit`.
    private func wait(abandon: Int32, idleLimit: Duration?) -> Readiness {
        var polled = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0), pollfd(fd: abandon, events: Int16(POLLIN), revents: 0)]
        let end = idleLimit.map { Syscall.monotonicNow() + $0 }
        while true {
            let timeout = end.map { Int32(clamping: max(0, (($0 - Syscall.monotonicNow()).nanoseconds + 999_999) / 1_000_000)) } ?? -1
            let ready = poll(&polled, 2, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return .ready
            }
            if polled[1].revents != 0 { return .abandoned }
            // POLLERR or POLLHUP: the next write says what went wrong.
            if polled[0].revents != 0 { return .ready }
            if let end, Syscall.monotonicNow() >= end { return .stalled }
        }
    }
}
