import Foundation

/// Short decimal renderings for messages.
enum DecimalFormat {
    /// Up to six decimals, trailing zeros dropped: `2`, `1.5`, `0.333333`.
    static func trimmed(_ value: Double) -> String {
        // Plain notation, never `1e-06`, so what is shown parses back.
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
