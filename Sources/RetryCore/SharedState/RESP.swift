/// Speaking RESP, the Redis protocol: commands out as arrays of bulk
/// strings, replies in. Pure, so that the framing is tested without a server.
package enum RESP {
    /// Replies nested deeper than this, or longer than `maximumLength`
    /// bytes, are taken as a broken server: `retry`'s scripts return flat
    /// arrays of a few short strings.
    static let maximumDepth = 4
    static let maximumLength = 1 << 20

    /// `*N\r\n$len\r\narg\r\n...`.
    package static func command(_ arguments: [String]) -> [UInt8] {
        var bytes = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            let utf8 = Array(argument.utf8)
            bytes += Array("$\(utf8.count)\r\n".utf8) + utf8 + [13, 10]
        }
        return bytes
    }

    package enum ParseResult: Equatable {
        /// A whole reply, and how many bytes it took.
        case complete(RESPValue, consumed: Int)
        /// More bytes are needed.
        case incomplete
        /// Not RESP.
        case malformed(String)
    }

    /// Parses the reply at the start of `bytes`.
    package static func parse(_ bytes: [UInt8]) -> ParseResult {
        var index = 0
        do throws(ParseStop) {
            let value = try parseValue(bytes, &index, depth: 0)
            return .complete(value, consumed: index)
        } catch {
            switch error {
            case .incomplete: return .incomplete
            case .malformed(let why): return .malformed(why)
            }
        }
    }

    private enum ParseStop: Error {
        case incomplete
        case malformed(String)
    }

    private static func parseValue(_ bytes: [UInt8], _ index: inout Int, depth: Int) throws(ParseStop) -> RESPValue {
        guard depth <= maximumDepth else { throw .malformed("a reply nested too deeply") }
        guard index < bytes.count else { throw .incomplete }
        let type = bytes[index]
        index += 1
        let line = try readLine(bytes, &index)
        switch type {
        case UInt8(ascii: "+"): return .simple(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw .malformed("a malformed integer") }
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1, length <= maximumLength else { throw .malformed("a malformed bulk length") }
            if length == -1 { return .bulk(nil) }
            guard bytes.count >= index + length + 2 else { throw .incomplete }
            guard bytes[index + length] == 13, bytes[index + length + 1] == 10 else { throw .malformed("a bulk string without its CRLF") }
            defer { index += length + 2 }
            return .bulk(Array(bytes[index..<index + length]))
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, count <= 4096 else { throw .malformed("a malformed array length") }
            if count == -1 { return .array(nil) }
            var elements: [RESPValue] = []
            for _ in 0..<count { elements.append(try parseValue(bytes, &index, depth: depth + 1)) }
            return .array(elements)
        default:
            throw .malformed("an unknown reply type \(type)")
        }
    }

    /// The text up to the next CRLF, which is skipped.
    private static func readLine(_ bytes: [UInt8], _ index: inout Int) throws(ParseStop) -> String {
        var end = index
        while end + 1 < bytes.count {
            if bytes[end] == 13 && bytes[end + 1] == 10 {
                defer { index = end + 2 }
                return String(decoding: bytes[index..<end], as: UTF8.self)
            }
            guard end - index < 65_536 else { throw .malformed("a reply line too long") }
            end += 1
        }
        throw .incomplete
    }
}
