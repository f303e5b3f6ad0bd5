/// UTC timestamps for messages and logs, computed without the C library.
package enum Timestamp {
    /// `2026-11-24T03:12:05Z`, for `seconds` since the epoch rounded up to
    /// the next whole second.
    package static func utc(_ seconds: Double) -> String {
        let whole = Int64(seconds.rounded(.up))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = RetryAfter.civilFromDays(days)
        return padded(year, 4) + "-" + padded(Int64(month), 2) + "-" + padded(Int64(day), 2) + "T"
            + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay / 60 % 60, 2) + ":" + padded(secondOfDay % 60, 2) + "Z"
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
