/// A connection that sends and receives bytes, each wait with a deadline:
/// plain TCP, or TLS over it.
protocol ByteStream {
    func send(_ bytes: [UInt8], deadline: Duration) throws(SocketFailure)
    /// The bytes that have arrived (at least one); the server closing the
    /// connection is a failure.
    func receive(deadline: Duration) throws(SocketFailure) -> [UInt8]
    func close()
}
