/// Whole-number option values.
enum NumberText {
    static func positiveInteger(_ text: String) throws(InvalidValue) -> Int {
        let value: UInt64
        do {
            value = try unsigned64(text)
        } catch where error.reason.hasPrefix("too large") {
            throw InvalidValue("too large; the most is \(Int.max)")
        }
        guard value >= 1 else { throw InvalidValue("must be at least 1") }
        guard value <= UInt64(Int.max) else { throw InvalidValue("too large; the most is \(Int.max)") }
        return Int(value)
    }

    static func unsigned64(_ text: String) throws(InvalidValue) -> UInt64 {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw InvalidValue(text.hasPrefix("-") ? "cannot be negative" : "expected a whole number, like 3")
        }
        guard let value = UInt64(text) else { throw InvalidValue("too large; the most is \(UInt64.max)") }
        return value
    }
}
