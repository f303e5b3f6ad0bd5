/// Reading and writing the DURATION syntax: a decimal number with an
/// optional unit `ms`, `s`, `m` or `h`; a bare number is seconds.
public enum DurationText {
    /// The largest duration accepted anywhere (about 31 years): far beyond
    /// any sensible delay, and small enough that sums of many delays stay
    /// exact in `Duration` and finite in `Double`.
    public static let maximum = Duration.seconds(1_000_000_000)

    /// What the syntax looks like, for error messages.
    public static let expected = "a number with an optional unit ms, s, m or h, like 250ms, 1.5s or 2m"

    /// Parses `text` exactly (no floating-point rounding of whole units).
    public static func parse(_ text: String) throws(InvalidValue) -> Duration {
        let (number, unitNanoseconds) = splitUnit(text)
        if number.hasPrefix("-") {
            throw InvalidValue("durations cannot be negative")
        }
        guard let decimal = DecimalText(number) else {
            throw InvalidValue("expected \(expected)")
        }
        guard let nanoseconds = decimal.scaled(by: unitNanoseconds),
              nanoseconds <= 1_000_000_000 * 1_000_000_000 else {
            throw InvalidValue("too large; the most is \(format(maximum))")
        }
        return .nanoseconds(nanoseconds)
    }

    private static func splitUnit(_ text: String) -> (String, Int64) {
        let units: [(String, Int64)] = [
            ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        for (suffix, nanoseconds) in units where text.hasSuffix(suffix) {
            return (String(text.dropLast(suffix.count)), nanoseconds)
        }
        return (text, 1_000_000_000)
    }

    /// Renders a duration the way people read it: `250ms`, `1.84s`, `1m`, `2m05s`, `1h02m`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds < 1 {
            return "\(Int((seconds * 1000).rounded()))ms"
        }
        if seconds < 60 {
            return trimmed(seconds) + "s"
        }
        let whole = Int64(seconds.rounded())
        let (hours, minutes, secs) = (whole / 3600, (whole % 3600) / 60, whole % 60)
        if hours == 0 {
            return "\(minutes)m" + (secs == 0 ? "" : twoDigits(secs) + "s")
        }
        if minutes == 0 && secs == 0 { return "\(hours)h" }
        return "\(hours)h" + twoDigits(minutes) + "m" + (secs == 0 ? "" : twoDigits(secs) + "s")
    }

    /// Two decimals, with trailing zeros dropped: 1.84, 1.5, 2.
    private static func trimmed(_ seconds: Double) -> String {
        let hundredths = Int64((seconds * 100).rounded())
        let whole = hundredths / 100, fraction = hundredths % 100
        if fraction == 0 { return "\(whole)" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)" }
        return "\(whole)." + twoDigits(fraction)
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

extension Duration {
    /// The duration in seconds as a `Double` (finite for every `Duration`).
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }

    /// A duration from seconds, clamped to `0...DurationText.maximum`, NaN as zero.
    public static func clampedSeconds(_ value: Double) -> Duration {
        guard value > 0 else { return .zero }
        let limit = DurationText.maximum.seconds
        return .nanoseconds(Int64((min(value, limit) * 1e9).rounded()))
    }
}
