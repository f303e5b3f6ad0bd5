import RetryCore

/// One destination of the command's output (`retry`'s stdout or stderr, or
/// a hold spool), written so that a stalled reader can never hold the relay
/// for good: a full pipe is waited for with poll(2) beside an `abandon`
/// descriptor, which `OutputRelay.finish` makes readable to give up.
///
/// `retry` must not set O_NONBLOCK on the descriptors it inherited: the
/// flag belongs to the open file, which its parent and the command share.
/// So a pipe is reopened through /proc/self/fd, which gives `retry` an open
/// file of its own on the same pipe, and a socket is written with
/// MSG_DONTWAIT. Anything else (a file, a terminal) is written as it is; a
/// parent's non-blocking pipe or terminal still only costs a wait (EAGAIN).
struct OutputSink {
    enum Result: Equatable {
        case written
        /// The reader has gone (EPIPE).
        case readerGone
        case failed(Errno)
        /// `abandon` became readable while the reader took nothing.
        case abandoned
    }

    let fd: Int32
    private let owned: Bool
    private let isSocket: Bool

    init(_ fd: Int32) {
        var status = stat()
        let kind = fstat(fd, &status) == 0 ? status.st_mode & S_IFMT : 0
        isSocket = kind == S_IFSOCK
        if kind == S_IFIFO {
            let reopened = Glibc.open("/proc/self/fd/\(fd)", O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if reopened >= 0 {
                self.fd = reopened
                owned = true
                return
            }
        }
        self.fd = fd
        owned = false
    }

    /// Closes the descriptor if it is the sink's own.
    func close() {
        if owned { _ = Glibc.close(fd) }
    }

    /// Writes all of `bytes`, waiting whenever the reader is not ready, until
    /// `abandon` is readable.
    func write(_ bytes: UnsafeRawBufferPointer, abandon: Int32, progress: (Int) -> Void) -> Result {
        var offset = 0
        while offset < bytes.count {
            let rest = bytes.count - offset
            let base = bytes.baseAddress! + offset
            let count = isSocket ? send(fd, base, rest, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) : Glibc.write(fd, base, rest)
            if count > 0 {
                offset += count
                progress(count)
                continue
            }
            let error = count < 0 ? Errno(errno) : Errno(EIO)
            switch error {
            case .interrupted: continue
            case Errno(EAGAIN):
                if !wait(abandon: abandon) { return .abandoned }
            case Errno(EPIPE): return .readerGone
            default: return .failed(error)
            }
        }
        return .written
    }

    /// Waits until the sink can take more; false when told to give up.
    private func wait(abandon: Int32) -> Bool {
        var polled = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0), pollfd(fd: abandon, events: Int16(POLLIN), revents: 0)]
        while true {
            if poll(&polled, 2, -1) < 0 {
                if errno == EINTR { continue }
                return true
            }
            if polled[1].revents != 0 { return false }
            // POLLERR or POLLHUP: the next write says what went wrong.
            return true
        }
    }
}
