/// The syntax exit-status and HTTP-status lists share: items separated by
/// commas, each a number or a range `low-high`, all within `valid`.
enum CodeListText {
    /// The codes `text` names. `what` names one item for messages ("an exit
    /// status or a range of them"); `example` shows the syntax; `special`
    /// may read an item of another form (an HTTP class `5xx`) first.
    static func parse(_ text: String, valid: ClosedRange<Int>, what: String, example: String, empty: String,
                      special: (Substring) throws(InvalidValue) -> ClosedRange<Int>? = { _ in nil }) throws(InvalidValue) -> [Int] {
        guard !text.isEmpty else { throw InvalidValue("expected \(empty), \(example)") }
        var codes: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let range = try special(item) {
                codes.append(contentsOf: range)
                continue
            }
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = number(bounds[0]), let high = number(bounds.last!) else {
                throw InvalidValue("'\(UsageError.shown(String(item)))' is not \(what); expected \(example)")
            }
            guard low <= high else {
                throw InvalidValue("the range '\(UsageError.shown(String(item)))' runs backwards; write \(high)-\(low)")
            }
            guard valid.contains(low), valid.contains(high) else {
                throw outside(valid, empty: empty, example: valid.contains(low) ? "\(high)" : "\(low)")
            }
            codes.append(contentsOf: low...high)
        }
        return codes
    }

    /// `exit statuses go from 1 to 255; 300 is not one`: the range, then
    /// the number in the item that lies outside it.
    static func outside(_ valid: ClosedRange<Int>, empty: String, example: String) -> InvalidValue {
        InvalidValue("\(empty) go from \(valid.lowerBound) to \(valid.upperBound); \(example) is not one")
    }

    /// Up to nine ASCII digits: no overflow, and a long number is reported
    /// as out of range rather than as not a number.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 9,
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }
}
