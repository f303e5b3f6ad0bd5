/// A set of HTTP status codes written as codes, classes and ranges:
/// `408,425,429,500-504`, `5xx`, `429,5xx`.
package struct HTTPStatusSet: Equatable, Sendable, CustomStringConvertible {
    /// Every status code RFC 9110 section 15 allows.
    static let valid = 100...599

    /// Membership of `valid`, indexed from its lower bound.
    private var members: [Bool]

    /// The statuses worth another attempt by default: request timeout, too
    /// early, too many requests, and the server-side failures that usually
    /// pass (not 501 Not Implemented, which will not change by waiting).
    package static let transient = HTTPStatusSet([408, 425, 429, 500, 502, 503, 504])

    /// The set of `codes`; codes outside 100-599 are left out.
    package init(_ codes: some Sequence<Int>) {
        members = Array(repeating: false, count: Self.valid.count)
        for code in codes where Self.valid.contains(code) { members[code - Self.valid.lowerBound] = true }
    }

    package func contains(_ code: Int) -> Bool {
        Self.valid.contains(code) && members[code - Self.valid.lowerBound]
    }

    /// Parses `429,5xx,500-504`: codes, classes `Nxx` and ranges, all within 100-599.
    package static func parse(_ text: String) throws(InvalidValue) -> HTTPStatusSet {
        HTTPStatusSet(try CodeListText.parse(text, valid: valid, what: "an HTTP status code, a class like 5xx or a range",
                                             example: "like 429,5xx or 500-504", empty: "HTTP status codes", special: statusClass))
    }

    /// The codes of a class `Nxx` (either case of `x`); nil when `item` is not written as one.
    private static func statusClass(_ item: Substring) throws(InvalidValue) -> ClosedRange<Int>? {
        let bytes = Array(item.utf8)
        guard bytes.count == 3, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[0]),
              bytes[1] | 0x20 == UInt8(ascii: "x"), bytes[2] | 0x20 == UInt8(ascii: "x") else { return nil }
        let hundreds = Int(bytes[0] - UInt8(ascii: "0")) * 100
        guard valid.contains(hundreds) else {
            throw CodeListText.outside(valid, empty: "HTTP status codes", example: "'\(item)'")
        }
        return hundreds...(hundreds + 99)
    }

    /// The canonical form: full classes as `5xx`, other runs folded into
    /// ranges, so that parsing it gives the same set: `408,429,5xx`.
    package var description: String {
        let base = Self.valid.lowerBound
        let isFullClass = { (code: Int) in
            code % 100 == 0 && code + 99 <= Self.valid.upperBound
                && members[(code - base)...(code + 99 - base)].allSatisfy { $0 }
        }
        var parts: [String] = []
        var code = base
        while code <= Self.valid.upperBound {
            if isFullClass(code) {
                parts.append("\(code / 100)xx")
                code += 100
                continue
            }
            guard members[code - base] else { code += 1; continue }
            // A run stops where a full class begins, so that 450-599 reads 450-499,5xx.
            var end = code
            while end + 1 <= Self.valid.upperBound && members[end + 1 - base] && !isFullClass(end + 1) { end += 1 }
            parts.append(end == code ? "\(code)" : "\(code)-\(end)")
            code = end + 1
        }
        return parts.joined(separator: ",")
    }
}
