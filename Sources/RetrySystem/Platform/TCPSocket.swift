import Foundation
import RetryCore

/// A TCP client socket whose every wait has a monotonic deadline: name
/// resolution, connecting, sending and receiving. Non-blocking, close-on-exec.
struct TCPSocket: ByteStream {
    let fd: Int32

    /// Resolves `host` and connects to the first address that answers,
    /// all before `deadline`.
    static func connect(host: String, port: UInt16, deadline: Duration) throws(SocketFailure) -> TCPSocket {
        let addresses = try resolve(host, port: port, deadline: deadline)
        var lastError = SocketFailure.failed("\(host): no address")
        for address in addresses {
            do {
                return try connect(to: address, deadline: deadline)
            } catch {
                lastError = error
                if case .timedOut = error { break }
            }
        }
        throw lastError
    }

    func close() { _ = Glibc.close(fd) }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8], deadline: Duration) throws(SocketFailure) {
        var sent = 0
        while sent < bytes.count {
            try wait(for: Int16(POLLOUT), deadline: deadline, doing: "sending")
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw .failed("cannot send: \(Errno(errno))")
            }
            sent += count
        }
    }

    /// The bytes that have arrived (at least one), waiting for them until
    /// `deadline`; the server closing the connection is a failure.
    func receive(deadline: Duration) throws(SocketFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            try wait(for: Int16(POLLIN), deadline: deadline, doing: "waiting for a reply")
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(buffer[0..<count]) }
            if count == 0 { throw .failed("the server closed the connection") }
            if errno == EAGAIN || errno == EINTR { continue }
            throw .failed("cannot receive: \(Errno(errno))")
        }
    }

    /// `poll(2)` for `events`, retried on EINTR, until the deadline.
    func wait(for events: Int16, deadline: Duration, doing what: String) throws(SocketFailure) {
        while true {
            let left = deadline - Syscall.monotonicNow()
            guard left > .zero else { throw .timedOut("no answer in time while \(what)") }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let milliseconds = Int32(clamping: max(1, left.wholeMilliseconds))
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .failed("poll: \(Errno(errno))") }
        }
    }

    private static func connect(to address: ResolvedAddress, deadline: Duration) throws(SocketFailure) -> TCPSocket {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .failed("cannot make a socket: \(Errno(errno))") }
        let socket = TCPSocket(fd: fd)
        let started = address.bytes.withUnsafeBytes { raw in
            Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if started != 0 && errno != EINPROGRESS && errno != EINTR {
            let error = Errno(errno)
            socket.close()
            throw .failed("cannot connect: \(error)")
        }
        do {
            try socket.wait(for: Int16(POLLOUT), deadline: deadline, doing: "connecting")
        } catch {
            socket.close()
            throw error
        }
        var problem: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &problem, &length)
        guard problem == 0 else {
            socket.close()
            throw .failed("cannot connect: \(Errno(problem))")
        }
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }
}

/// A resolved socket address, copied out of `getaddrinfo`'s list.
struct ResolvedAddress: Sendable {
    let family: Int32
    let bytes: [UInt8]
}

extension TCPSocket {
    /// Resolves `host`: a numeric address at once; a name on a thread of its
    /// own, since `getaddrinfo` takes no deadline (the thread is left to
    /// finish by itself if the deadline passes first).
    static func resolve(_ host: String, port: UInt16, deadline: Duration) throws(SocketFailure) -> [ResolvedAddress] {
        if let numeric = lookUp(host, port: port, numericOnly: true), !numeric.isEmpty { return numeric }
        let box = ResolutionBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.set(lookUp(host, port: port, numericOnly: false))
            done.signal()
        }
        thread.start()
        let left = max(.zero, deadline - Syscall.monotonicNow())
        guard done.wait(timeout: .now() + .nanoseconds(Int(left.wholeMilliseconds * 1_000_000))) == .success else {
            throw .timedOut("no answer in time while looking up \(host)")
        }
        guard let addresses = box.get(), !addresses.isEmpty else { throw .failed("cannot resolve \(host)") }
        return addresses
    }

    private static func lookUp(_ host: String, port: UInt16, numericOnly: Bool) -> [ResolvedAddress]? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | (numericOnly ? AI_NUMERICHOST : 0)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0 else { return nil }
        defer { freeaddrinfo(list) }
        var addresses: [ResolvedAddress] = []
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(current.pointee.ai_addrlen))
                addresses.append(ResolvedAddress(family: current.pointee.ai_family, bytes: Array(bytes)))
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}

/// Hands the resolver thread's answer back.
private final class ResolutionBox: @unchecked Sendable {
    private let lock = NSLock()
    private var addresses: [ResolvedAddress]?

    func set(_ value: [ResolvedAddress]?) { lock.withLock { addresses = value } }
    func get() -> [ResolvedAddress]? { lock.withLock { addresses } }
}
