/// A mistake on the command line: `retry` exits 125 with `message`.
package struct UsageError: Error, Equatable {
    package let message: String
    package init(_ message: String) { self.message = message }

    /// User text as quoted in a message: control characters escaped, so the
    /// message stays one line whatever was typed.
    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
