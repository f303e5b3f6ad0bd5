/// Short decimal renderings for messages, computed exactly from the binary
/// value (as `printf` does), without the C library.
enum DecimalFormat {
    /// Up to six decimals, trailing zeros dropped: `2`, `1.5`, `0.333333`.
    static func trimmed(_ value: Double) -> String {
        // Plain notation, never `1e-06`, so what is shown parses back.
        var text = fixed(value, decimals: 6)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `value` with exactly `decimals` digits after the point, rounded half
    /// to even from its exact binary value: what `printf("%.*f")` prints.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let sign = value.sign == .minus ? "-" : ""
        if value.isNaN { return sign + "nan" }
        if value.isInfinite { return sign + "inf" }
        // |value| = significand · 2^exponent, both whole; scaled by 10^decimals.
        var digits = DecimalDigits(value.significandBitPattern
            | (value.isNormal ? 1 << UInt64(Double.significandBitCount) : 0))
        let exponent = Int(value.isNormal ? value.exponent : Double.leastNormalMagnitude.exponent)
            - Double.significandBitCount
        for _ in 0..<decimals { digits.multiply(by: 10) }
        if exponent >= 0 {
            for _ in 0..<exponent { digits.multiply(by: 2) }
        } else {
            // Halve, keeping the last bit shifted out and whether any before
            // it was set, which decide the rounding.
            var last = false, sticky = false
            let shifts = -exponent
            for step in 0..<shifts {
                sticky = sticky || last
                last = digits.halve()
                // Only zero bits are left to shift out: the rest is below half.
                if digits.isZero && step < shifts - 1 { last = false; break }
            }
            if last && (sticky || digits.isOdd) { digits.increment() }
        }
        var text = digits.text
        if decimals > 0 {
            if text.count <= decimals { text = String(repeating: "0", count: decimals - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
        }
        return sign + text
    }
}

/// A non-negative whole number as decimal digits, least significant first:
/// just what `DecimalFormat.fixed` needs.
private struct DecimalDigits {
    private var digits: [UInt8]

    init(_ value: UInt64) {
        digits = []
        var value = value
        repeat {
            digits.append(UInt8(value % 10))
            value /= 10
        } while value > 0
    }

    var isZero: Bool { digits.allSatisfy { $0 == 0 } }
    var isOdd: Bool { digits[0] & 1 == 1 }
    var text: String {
        var most = digits.count - 1
        while most > 0 && digits[most] == 0 { most -= 1 }
        return String(decoding: digits[...most].reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    mutating func multiply(by factor: UInt8) {
        var carry: UInt8 = 0
        for index in digits.indices {
            let product = digits[index] * factor + carry
            digits[index] = product % 10
            carry = product / 10
        }
        if carry > 0 { digits.append(carry) }
    }

    /// Halves the number; returns the bit that was shifted out.
    mutating func halve() -> Bool {
        var remainder: UInt8 = 0
        for index in digits.indices.reversed() {
            let value = remainder * 10 + digits[index]
            digits[index] = value / 2
            remainder = value % 2
        }
        return remainder == 1
    }

    mutating func increment() {
        for index in digits.indices {
            if digits[index] < 9 { digits[index] += 1; return }
            digits[index] = 0
        }
        digits.append(1)
    }
}
