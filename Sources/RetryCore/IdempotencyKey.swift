/// The key every attempt of one run shares in `RETRY_IDEMPOTENCY_KEY`, so a
/// server can recognise a retry of an operation it already performed.
public enum IdempotencyKey {
    /// A random version 4 UUID in lowercase, the form the IETF draft and
    /// Stripe suggest.
    public static func generate(using random: inout some RandomNumberGenerator) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]]
            .map { $0.joined() }
            .joined(separator: "-")
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
