import RetryCore

/// The descriptors above 2 that `retry` was given by its caller (a `3>log`,
/// a `<(...)`, systemd's LISTEN_FDS, make's jobserver), which the command
/// and hooks must get as a plain child would.
///
/// Foundation's `Process` closes every descriptor above 2 in the child, so
/// they are handed to the helper instead: its stdin is one end of a socket
/// pair on which `retry` has queued them, before the helper starts, with
/// SCM_RIGHTS and their numbers (the command's real stdin as number 0).
/// The helper puts each back at its number and lets everything else above 2
/// close at exec, Foundation's own socket included. Nothing of `retry`'s
/// reaches the command. (pidfd_getfd from the helper would need ptrace
/// rights over `retry`, which Yama's ptrace_scope 1 and container seccomp
/// profiles deny; a socket needs nothing.)
package enum CallerDescriptors {
    nonisolated(unsafe) private static var recorded: [Int32] = []

    /// Notes the descriptors open now that survive an exec: called at
    /// start-up, before `retry` opens any of its own.
    package static func record() {
        recorded = ResourceLimits.openDescriptors()?.map(Int32.init).filter { fd in
            fd > 2 && fcntl(fd, F_GETFD) & FD_CLOEXEC == 0
        }.sorted() ?? []
    }

    /// Queues the caller's descriptors and `input` (the command's stdin;
    /// nil: closed) on a new socket pair, and returns the end for the
    /// helper's stdin, which the caller closes once the helper has started.
    static func channel(input: Int32?) throws(Errno) -> Int32 {
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else { throw Errno(errno) }
        defer { close(ends[0]) }
        // Those the caller gave that are still open (retry closes those
        // above the open-files limit at start-up).
        var pairs = recorded.filter { fcntl($0, F_GETFD) != -1 }.map { (fd: $0, number: $0) }
        if let input { pairs.insert((input, 0), at: 0) }
        var start = 0
        repeat {
            let batch = pairs[start..<min(pairs.count, start + perMessage)]
            start += batch.count
            try send(batch.map(\.fd), numbers: batch.map(\.number), more: start < pairs.count, on: ends[0])
        } while start < pairs.count
        return ends[1]
    }

    /// As many as the helper takes in one message.
    private static let perMessage = 250

    private static func send(_ fds: [Int32], numbers: [Int32], more: Bool, on socket: Int32) throws(Errno) {
        var data = [Int32(more ? 1 : 0)] + numbers
        let controlSize = fds.isEmpty ? 0 : cmsgSpace(fds.count * MemoryLayout<Int32>.size)
        var control = [UInt8](repeating: 0, count: max(controlSize, 1))
        let sent = data.withUnsafeMutableBytes { bytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    if !fds.isEmpty {
                        message.msg_control = controlBytes.baseAddress
                        message.msg_controllen = controlSize
                        let header = controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                        header.pointee.cmsg_level = SOL_SOCKET
                        header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                        header.pointee.cmsg_len = cmsgLength(fds.count * MemoryLayout<Int32>.size)
                        let payload = controlBytes.baseAddress! + cmsgLength(0)
                        fds.withUnsafeBytes { payload.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                    }
                    return sendmsg(socket, &message, Int32(MSG_NOSIGNAL))
                }
            }
        }
        guard sent == data.count * MemoryLayout<Int32>.size else { throw Errno(sent < 0 ? errno : EIO) }
    }

    /// CMSG_ALIGN, CMSG_LEN and CMSG_SPACE, macros Swift does not import.
    private static func cmsgAlign(_ length: Int) -> Int {
        (length + MemoryLayout<Int>.size - 1) & ~(MemoryLayout<Int>.size - 1)
    }
    private static func cmsgLength(_ length: Int) -> Int { cmsgAlign(MemoryLayout<cmsghdr>.size) + length }
    private static func cmsgSpace(_ length: Int) -> Int { cmsgAlign(MemoryLayout<cmsghdr>.size) + cmsgAlign(length) }
}
