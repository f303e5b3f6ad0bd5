/// A set of exit statuses written as lists and ranges: `1,3,5-9`.
package struct ExitCodeSet: Equatable, Sendable, CustomStringConvertible {
    private var members: [Bool]

    package init(_ codes: some Sequence<Int32>) {
        members = Array(repeating: false, count: 256)
        for code in codes where (0...255).contains(code) { members[Int(code)] = true }
    }

    package func contains(_ code: Int32) -> Bool {
        (0...255).contains(code) && members[Int(code)]
    }

    /// Parses `1,3,5-9`; every status must lie in `allowed`.
    package static func parse(_ text: String, allowed: ClosedRange<Int32> = 0...255) throws(InvalidValue) -> ExitCodeSet {
        let codes = try CodeListText.parse(text, valid: Int(allowed.lowerBound)...Int(allowed.upperBound),
                                           what: "an exit status or a range of them", example: "like 1,3,5-9", empty: "exit statuses")
        return ExitCodeSet(codes.map(Int32.init))
    }

    /// The canonical form, ranges folded: `1,3,5-9`.
    package var description: String {
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
