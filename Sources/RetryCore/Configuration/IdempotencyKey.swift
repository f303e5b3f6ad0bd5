/// The key every attempt of one run shares in `RETRY_IDEMPOTENCY_KEY`, so a
/// server can recognise a retry of an operation it already performed.
package enum IdempotencyKey {
    /// A random version 4 UUID in lowercase, the form the IETF draft and
    /// Stripe suggest.
    package static func generate(using random: inout some RandomNumberGenerator) -> String {
        // Two words, not sixteen bytes: each draw from the system's
        // generator is a getrandom(2) call.
        let words = [random.next(), random.next()]
        var bytes = (0..<16).map { UInt8(truncatingIfNeeded: words[$0 / 8] >> (8 * UInt64($0 % 8))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        // By hand, byte by byte: this runs at every start, where maps and
        // joins of strings cost 0.58 million instructions more (callgrind).
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Accepts a user's key: 1 to 255 printable ASCII characters (Stripe's
    /// limit; it travels in an HTTP header).
    static func validate(_ key: String) throws(InvalidValue) -> String {
        guard !key.isEmpty else { throw InvalidValue("the key cannot be empty") }
        guard key.utf8.count <= 255 else { throw InvalidValue("the key is longer than 255 characters") }
        guard key.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw InvalidValue("the key must be printable ASCII (no control characters)")
        }
        return key
    }
}
