/// A set of exit statuses written as lists and ranges: `1,3,5-9`.
public struct ExitCodeSet: Equatable, Sendable, CustomStringConvertible {
    private var members: [Bool]

    public init(_ codes: some Sequence<Int32>) {
        members = Array(repeating: false, count: 256)
        for code in codes where (0...255).contains(code) { members[Int(code)] = true }
    }

    public func contains(_ code: Int32) -> Bool {
        (0...255).contains(code) && members[Int(code)]
    }

    /// Parses `1,3,5-9`; every status must lie in `allowed`.
    public static func parse(_ text: String, allowed: ClosedRange<Int32> = 0...255) throws(InvalidValue) -> ExitCodeSet {
        let example = "like 1,3,5-9"
        guard !text.isEmpty else { throw InvalidValue("expected exit statuses, \(example)") }
        var codes: [Int32] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard bounds.count <= 2, let low = status(bounds[0]), let high = status(bounds.last!) else {
                throw InvalidValue("'\(item)' is not an exit status or a range of them; expected \(example)")
            }
            guard low <= high else {
                throw InvalidValue("the range '\(item)' runs backwards; write \(high)-\(low)")
            }
            guard allowed.contains(low), allowed.contains(high) else {
                throw InvalidValue("'\(item)' is outside \(allowed.lowerBound)-\(allowed.upperBound)")
            }
            codes.append(contentsOf: low...high)
        }
        return ExitCodeSet(codes)
    }

    private static func status(_ text: Substring) -> Int32? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int32(text)
    }

    /// The canonical form, ranges folded: `1,3,5-9`.
    public var description: String {
        var parts: [String] = []
        var code = 0
        while code < 256 {
            guard members[code] else { code += 1; continue }
            var end = code
            while end + 1 < 256 && members[end + 1] { end += 1 }
            parts.append(end == code ? "\(code)" : "\(code)-\(end)")
            code = end + 1
        }
        return parts.joined(separator: ",")
    }
}
