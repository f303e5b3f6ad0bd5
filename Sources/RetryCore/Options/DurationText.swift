/// Reading and writing the DURATION syntax: a decimal number with an
/// optional unit `ms`, `s`, `m` or `h` (a bare number is seconds), or a sum
/// of such parts from the largest unit down, as `format` writes them:
/// `1m30s`, `1h02m03s`, `2m0.5s`.
package enum DurationText {
    /// The largest duration accepted anywhere (about 31 years): far beyond
    /// any sensible delay, and small enough that sums of many delays stay
    /// exact in `Duration` and finite in `Double`.
    package static let maximum = Duration.seconds(1_000_000_000)

    /// What the syntax looks like, for error messages.
    package static let expected = "a number with an optional unit ms, s, m or h, like 250ms, 1.5s, 2m or 1m30s"

    /// The units, largest first: a compound duration names them in this order.
    private static let units: [(name: String, nanoseconds: Int64)] = [
        ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
    ]

    /// Parses `text` exactly (no floating-point rounding of whole units).
    package static func parse(_ text: String) throws(InvalidValue) -> Duration {
        if text.hasPrefix("-") {
            throw InvalidValue("durations cannot be negative")
        }
        guard let parts = split(text) else {
            throw InvalidValue("expected \(expected)")
        }
        let tooLarge = InvalidValue("too large; the most is \(format(maximum))")
        var total: Int64 = 0
        for (number, unitNanoseconds) in parts {
            guard let decimal = DecimalText(number) else { throw InvalidValue("expected \(expected)") }
            guard let nanoseconds = decimal.scaled(by: unitNanoseconds) else { throw tooLarge }
            let (sum, overflow) = total.addingReportingOverflow(nanoseconds)
            guard !overflow else { throw tooLarge }
            total = sum
        }
        guard total <= 1_000_000_000 * 1_000_000_000 else { throw tooLarge }
        // A positive value below a nanosecond is 1 ns, not 0 (no limit).
        let positive = parts.contains { part in part.0.utf8.contains { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) } }
        return .nanoseconds(positive ? max(1, total) : total)
    }

    /// The (number, unit) parts of `text`; nil when a part has no number,
    /// an unknown unit, a unit out of order, or (in a compound) no unit.
    private static func split(_ text: String) -> [(String, Int64)]? {
        var parts: [(String, Int64)] = []
        var rest = Substring(text)
        var smallestSoFar = -1
        while !rest.isEmpty {
            let number = rest.prefix { !$0.isLetter }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            if unit.isEmpty {
                // A bare number is seconds, but only on its own: `1m30` is a typo.
                guard parts.isEmpty, rest.isEmpty else { return nil }
                return [(String(number), 1_000_000_000)]
            }
            guard let rank = units.firstIndex(where: { $0.name == unit }), rank > smallestSoFar else { return nil }
            smallestSoFar = rank
            parts.append((String(number), units[rank].nanoseconds))
        }
        return parts.isEmpty ? [("", 1_000_000_000)] : parts
    }

    /// Renders a duration the way people read it, and as `parse` reads it
    /// back: `250ms`, `1.84s`, `1m`, `2m05s`, `2m0.5s`, `1h02m`.
    package static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        // Decided on the rounded value, so that 59.999s is 1m, not 60s.
        if (seconds * 1000).rounded() < 1000 {
            return "\(Int((seconds * 1000).rounded()))ms"
        }
        if (seconds * 100).rounded() < 6000 {
            return trimmed(seconds) + "s"
        }
        // A whole number of hundredths keeps them, so that what was typed
        // types back (2m0.5s, not 2m01s); a measured time is rounded to the
        // second, where hundredths would only be noise.
        let exact = duration.nanoseconds % 10_000_000 == 0
        let hundredths = exact ? duration.nanoseconds / 10_000_000 : Int64(seconds.rounded()) * 100
        let whole = hundredths / 100
        let (hours, minutes, secs) = (whole / 3600, (whole % 3600) / 60, whole % 60)
        let fraction = hundredths % 100
        let secondsPart = fraction == 0 ? (secs == 0 ? "" : twoDigits(secs) + "s") : trimmed(Double(secs * 100 + fraction) / 100) + "s"
        if hours == 0 {
            return "\(minutes)m" + secondsPart
        }
        if minutes == 0 && secondsPart.isEmpty { return "\(hours)h" }
        return "\(hours)h" + twoDigits(minutes) + "m" + secondsPart
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
    /// Whole nanoseconds, saturating.
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : scaled &+ attoseconds / 1_000_000_000
    }

    /// Whole milliseconds, saturating: what Redis scripts and hooks take.
    package var wholeMilliseconds: Int64 { nanoseconds / 1_000_000 }

    /// The duration in seconds as a `Double` (finite for every `Duration`).
    package var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }

    /// A duration from seconds, clamped to `0...DurationText.maximum`, NaN as zero.
    package static func clampedSeconds(_ value: Double) -> Duration {
        guard value > 0 else { return .zero }
        let limit = DurationText.maximum.seconds
        return .nanoseconds(Int64((min(value, limit) * 1e9).rounded()))
    }
}
