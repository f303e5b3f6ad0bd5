/// How a computed delay is randomised so that clients started together do
/// not retry together.
package enum Jitter: Equatable, Sendable, CustomStringConvertible {
    /// The delay as computed (synchronised clients stay synchronised).
    case none
    /// `uniform(0, t)`.
    case full
    /// `t/2 + uniform(0, t/2)`: random, but never less than half.
    case equal
    /// `t * uniform(1-p, 1+p)` for a proportion `p` in `0...1`.
    case proportional(Double)

    /// The names `--jitter` takes besides `P%`.
    package static let names = ["none", "full", "equal"]

    package static func parse(_ text: String) throws(InvalidValue) -> Jitter {
        switch text {
        case "none": return .none
        case "full": return .full
        case "equal": return .equal
        default:
            guard text.hasSuffix("%"), let percent = DecimalText(String(text.dropLast()))?.double else {
                throw InvalidValue("expected none, full, equal or a proportion like 20%")
            }
            guard percent <= 100 else { throw InvalidValue("a proportion is at most 100%") }
            return .proportional(percent / 100)
        }
    }

    /// Applies the jitter to `t` (seconds) with `unit`, a random number in
    /// `0..<1`; a pure function so tests can pin both ends.
    package func apply(to t: Double, unit: Double) -> Double {
        switch self {
        case .none: t
        case .full: t * unit
        case .equal: t / 2 + (t / 2) * unit
        case .proportional(let p): t * (1 - p + 2 * p * unit)
        }
    }

    package var description: String {
        switch self {
        case .none: "none"
        case .full: "full"
        case .equal: "equal"
        case .proportional(let p): DecimalFormat.trimmed(p * 100) + "%"
        }
    }
}

extension RandomNumberGenerator {
    /// A uniformly distributed `Double` in `0..<1` built from the top 53 bits,
    /// so the same generator state always gives the same number.
    package mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
