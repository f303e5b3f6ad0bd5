/// A non-negative decimal number in plain notation (`12`, `1.5`, `.25`), as
/// every numeric option takes it. Exponents, signs, `inf` and `nan`, which
/// `Double(String)` would accept, are refused on purpose.
struct DecimalText {
    let whole: Substring
    let fraction: Substring

    init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        whole = parts[0]
        fraction = parts.count == 2 ? parts[1] : ""
        // Bytes, not Characters: "1" with a combining mark sorts between
        // "0" and "9" as a Character but is no digit.
        let allDigits = { (part: Substring) in part.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        guard !(whole.isEmpty && fraction.isEmpty), allDigits(whole), allDigits(fraction),
              !(parts.count == 2 && fraction.isEmpty) else { return nil }
    }

    /// The value times `unit`, rounded to a whole number; nil when it overflows.
    func scaled(by unit: Int64) -> Int64? {
        var result: Int64 = 0
        for digit in whole.utf8 {
            let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            result = sum
        }
        let (wholeUnits, overflow) = result.multipliedReportingOverflow(by: unit)
        if overflow { return nil }
        let fractional = (Double("0." + fraction.prefix(18)) ?? 0) * Double(unit)
        let (total, overflow3) = wholeUnits.addingReportingOverflow(Int64(fractional.rounded()))
        return overflow3 ? nil : total
    }

    /// The value as a `Double`; nil when it is not finite.
    var double: Double? {
        let value = Double(whole.isEmpty ? "0.\(fraction)" : fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)")
        return value.flatMap { $0.isFinite ? $0 : nil }
    }
}
