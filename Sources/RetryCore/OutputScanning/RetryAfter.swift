/// Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date.
///
/// Dates are parsed and converted by hand, in UTC, because the header's
/// grammar is fixed English text: a locale-aware formatter could reject it
/// (or accept more than the grammar) depending on the user's settings.
package enum RetryAfter {
    /// The delay a value asks for at wall-clock `now` (seconds since the epoch): nil when malformed; a date in the past is zero.
    ///
    /// Whitespace around the value is allowed; huge values clamp to
    /// `DurationText.maximum` rather than trap.
    package static func delay(_ value: String, now: Double) -> Duration? {
        let text = trimmed(value)
        if let seconds = delaySeconds(text) { return seconds }
        guard let date = date(text, now: now) else { return nil }
        return .clampedSeconds(date - now)
    }

    /// An HTTP-date in any of its three forms, as seconds since the epoch; nil when malformed.
    ///
    /// `now` only matters for the two-digit year of the RFC 850 form.
    static func date(_ text: String, now: Double) -> Double? {
        let bytes = Array(text.utf8)
        // The day name ends the same way in each form: "Sun," (IMF-fixdate),
        // "Sunday," (RFC 850) or "Sun " (asctime).
        guard let end = bytes.firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") }) else {
            return nil
        }
        let name = String(decoding: bytes[..<end], as: UTF8.self)
        let parsed: Fields?
        switch bytes[end] {
        case UInt8(ascii: ",") where shortDayNames.contains(name): parsed = imfFixdate(bytes)
        case UInt8(ascii: ",") where longDayNames.contains(name): parsed = rfc850Date(bytes[(end + 1)...], now: now)
        case UInt8(ascii: " ") where shortDayNames.contains(name): parsed = asctimeDate(bytes)
        default: parsed = nil
        }
        guard let fields = parsed, fields.isValid else { return nil }
        let days = daysFromCivil(year: fields.year, month: fields.month, day: fields.day)
        return Double(days) * 86400 + Double(fields.hour * 3600 + fields.minute * 60 + fields.second)
    }

    // MARK: - delay-seconds

    /// `1*DIGIT`, clamped; nil for anything else (a sign, a fraction, letters, nothing).
    private static func delaySeconds(_ text: String) -> Duration? {
        guard !text.isEmpty, text.utf8.allSatisfy(isDigit) else { return nil }
        let limit = Int64(DurationText.maximum.seconds)
        var seconds: Int64 = 0
        for digit in text.utf8 {
            seconds = seconds * 10 + Int64(digit - UInt8(ascii: "0"))
            // Stop before the multiplication could overflow: any value past the limit is the limit.
            if seconds >= limit { return DurationText.maximum }
        }
        return .seconds(seconds)
    }

    // MARK: - The three HTTP-date forms

    private static let shortDayNames: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longDayNames: Set<String> = [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private struct Fields {
        var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int

        /// Ranges from RFC 9110 section 5.6.7; second 60 is a leap second.
        var isValid: Bool {
            (1...12).contains(month) && (1...RetryAfter.daysIn(month: month, year: year)).contains(day)
                && (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second)
        }
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    private static func imfFixdate(_ bytes: [UInt8]) -> Fields? {
        guard bytes.count == 29, literal(bytes, 3, ", "), literal(bytes, 7, " "), literal(bytes, 11, " "),
              literal(bytes, 16, " "), literal(bytes, 25, " GMT"),
              let day = number(bytes, 5, 2), let month = month(bytes, 8), let year = number(bytes, 12, 4),
              let time = time(bytes, 17) else { return nil }
        return Fields(year: Int64(year), month: month, day: day, hour: time.0, minute: time.1, second: time.2)
    }

    /// `06-Nov-94 08:49:37 GMT`, what follows `Sunday,`.
    private static func rfc850Date(_ rest: ArraySlice<UInt8>, now: Double) -> Fields? {
        let bytes = Array(rest)
        guard bytes.count == 23, literal(bytes, 0, " "), literal(bytes, 3, "-"), literal(bytes, 7, "-"),
              literal(bytes, 10, " "), literal(bytes, 19, " GMT"),
              let day = number(bytes, 1, 2), let month = month(bytes, 4), let twoDigitYear = number(bytes, 8, 2),
              let time = time(bytes, 11) else { return nil }
        var fields = Fields(year: 0, month: month, day: day, hour: time.0, minute: time.1, second: time.2)
        fields.year = fullYear(twoDigitYear, of: fields, now: now)
        return fields
    }

    /// `Sun Nov  6 08:49:37 1994`
    private static func asctimeDate(_ bytes: [UInt8]) -> Fields? {
        // The day is two digits or, below 10, a space and one digit.
        let paddedDay = bytes.count == 24 && bytes[8] == UInt8(ascii: " ") ? number(bytes, 9, 1) : number(bytes, 8, 2)
        guard bytes.count == 24, literal(bytes, 3, " "), literal(bytes, 7, " "), literal(bytes, 10, " "),
              literal(bytes, 19, " "), let month = month(bytes, 4), let day = paddedDay, let time = time(bytes, 11),
              let year = number(bytes, 20, 4) else { return nil }
        return Fields(year: Int64(year), month: month, day: day, hour: time.0, minute: time.1, second: time.2)
    }

    /// The year ending in `twoDigits` that is latest without being more than
    /// 50 years after `now` (RFC 9110 section 5.6.7: later means the
    /// previous century).
    private static func fullYear(_ twoDigits: Int, of fields: Fields, now: Double) -> Int64 {
        // Beyond about ±2.7e14 years `now` has no meaningful calendar; clamping keeps the arithmetic in range.
        let clamped = now.isNaN ? 0 : min(max(now, -8.64e21), 8.64e21)
        let nowDays = Int64((clamped / 86400).rounded(.down))
        let nowSecond = Int(clamped - Double(nowDays) * 86400)
        let today = civilFromDays(nowDays)
        let limitYear = today.year + 50
        var year = limitYear - ((limitYear - Int64(twoDigits)) % 100 + 100) % 100
        if year == limitYear {
            // Same year as the limit: compare the rest of the date with now's, fifty years on.
            let candidate = (fields.month, fields.day, fields.hour * 3600 + fields.minute * 60 + fields.second)
            if candidate > (today.month, today.day, nowSecond) { year -= 100 }
        }
        return year
    }

    // MARK: - Calendar (proleptic Gregorian, UTC)

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int64) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    // MARK: - Bytes

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        let bytes = Array(text.utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// Whether `bytes` holds exactly `expected` at `offset`.
    private static func literal(_ bytes: [UInt8], _ offset: Int, _ expected: StaticString) -> Bool {
        let count = expected.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        return expected.withUTF8Buffer { bytes[offset..<(offset + count)].elementsEqual($0) }
    }

    /// Exactly `count` digits at `offset`.
    private static func number(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int? {
        guard offset + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[offset..<(offset + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// A month name at `offset`, case-sensitive as the RFC spells it, as 1...12.
    private static func month(_ bytes: [UInt8], _ offset: Int) -> Int? {
        guard offset + 3 <= bytes.count else { return nil }
        let name = String(decoding: bytes[offset..<(offset + 3)], as: UTF8.self)
        return monthNames.firstIndex(of: name).map { $0 + 1 }
    }

    /// `HH:MM:SS` at `offset`.
    private static func time(_ bytes: [UInt8], _ offset: Int) -> (Int, Int, Int)? {
        guard literal(bytes, offset + 2, ":"), literal(bytes, offset + 5, ":"),
              let hour = number(bytes, offset, 2), let minute = number(bytes, offset + 3, 2),
              let second = number(bytes, offset + 6, 2) else { return nil }
        return (hour, minute, second)
    }
}
