import CRetry
import Glibc
import RetryCore

/// A TLS client connection over a connected TCP socket, through the libssl
/// shim in CRetry (which loads OpenSSL on first use). The server's
/// certificate is always verified, host name included: there is no way to
/// turn that off.
final class TLSStream: ByteStream {
    private let socket: TCPSocket
    private let tls: OpaquePointer

    private init(socket: TCPSocket, tls: OpaquePointer) {
        self.socket = socket
        self.tls = tls
    }

    deinit { cretry_tls_free(tls) }

    /// Shakes hands over `socket` (which the stream then owns) before
    /// `deadline`, verifying that the certificate names `host` and chains to
    /// `caFile`, or to the system's trust store when nil.
    static func handshake(over socket: TCPSocket, host: String, caFile: String?, deadline: Duration) throws(SocketFailure) -> TLSStream {
        var error = [CChar](repeating: 0, count: 512)
        guard let tls = cretry_tls_open(socket.fd, host, caFile, &error, error.count) else {
            socket.close()
            throw .failed(Self.text(error))
        }
        let stream = TLSStream(socket: socket, tls: tls)
        do throws(SocketFailure) {
            try stream.perform("shaking hands over TLS", deadline: deadline) { error, size in cretry_tls_handshake(tls, error, size) }
        } catch {
            stream.close()
            throw error
        }
        return stream
    }

    func send(_ bytes: [UInt8], deadline: Duration) throws(SocketFailure) {
        var sent = 0
        while sent < bytes.count {
            let step: Result<Int, SocketFailure> = bytes[sent...].withUnsafeBytes { raw in
                var written = 0
                do throws(SocketFailure) {
                    try perform("sending", deadline: deadline) { error, size in
                        cretry_tls_write(tls, raw.baseAddress, raw.count, &written, error, size)
                    }
                    return .success(written)
                } catch {
                    return .failure(error)
                }
            }
            sent += try step.get()
        }
    }

    func receive(deadline: Duration) throws(SocketFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let step: Result<Int, SocketFailure> = buffer.withUnsafeMutableBytes { raw in
            var got = 0
            do throws(SocketFailure) {
                try perform("waiting for a reply", deadline: deadline) { error, size in
                    cretry_tls_read(tls, raw.baseAddress, raw.count, &got, error, size)
                }
                return .success(got)
            } catch {
                return .failure(error)
            }
        }
        return Array(buffer[0..<(try step.get())])
    }

    func close() { socket.close() }

    /// The shim's NUL-terminated message.
    private static func text(_ error: [CChar]) -> String {
        String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Repeats `step` until it is done, waiting on the socket as it asks.
    private func perform(_ what: String, deadline: Duration,
                         _ step: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(SocketFailure) {
        var error = [CChar](repeating: 0, count: 512)
        while true {
            let status = error.withUnsafeMutableBufferPointer { step($0.baseAddress!, $0.count) }
            switch status {
            case CRETRY_TLS_DONE: return
            case CRETRY_TLS_WANT_READ: try socket.wait(for: Int16(POLLIN), deadline: deadline, doing: what)
            case CRETRY_TLS_WANT_WRITE: try socket.wait(for: Int16(POLLOUT), deadline: deadline, doing: what)
            case CRETRY_TLS_CLOSED: throw .failed("the server closed the connection")
            default: throw .failed(Self.text(error))
            }
        }
    }
}
