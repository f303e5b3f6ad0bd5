import Testing
@testable import RetryCore

@Suite struct RetryAfterTests {
    /// 2023-11-14 22:13:20 UTC, a Tuesday.
    static let now: Double = 1_700_000_000
    /// RFC 9110's example instant, Sun, 06 Nov 1994 08:49:37 GMT.
    static let example: Double = 784_111_777

    // MARK: delay-seconds

    @Test(arguments: [
        ("0", Duration.zero),
        ("120", .seconds(120)),
        ("007", .seconds(7)),
        (" 120 ", .seconds(120)),
        ("\t5\r", .seconds(5)),
        ("999999999", .seconds(999_999_999)),
        ("1000000000", DurationText.maximum),
        ("1000000001", DurationText.maximum),
        ("9223372036854775807", DurationText.maximum),
        ("99999999999999999999999999999999999999999999999999", DurationText.maximum),
    ])
    func readsDelaySeconds(value: String, expected: Duration) {
        #expect(RetryAfter.delay(value, now: Self.now) == expected)
    }

    // MARK: HTTP-date

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun Nov 06 08:49:37 1994",
    ])
    func readsEveryFormOfTheSameInstant(text: String) {
        #expect(RetryAfter.date(text, now: Self.now) == Self.example)
        #expect(RetryAfter.delay(text, now: Self.now) == .zero)
        #expect(RetryAfter.delay("  \(text) \t", now: Self.now) == .zero)
    }

    @Test func readsAFutureDateAsTheTimeUntilThen() {
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:23:20 GMT", now: Self.now) == .seconds(600))
        #expect(RetryAfter.delay("Tuesday, 14-Nov-23 22:23:20 GMT", now: Self.now) == .seconds(600))
        #expect(RetryAfter.delay("Tue Nov 14 22:23:20 2023", now: Self.now) == .seconds(600))
        // The same instant as now, a second before and a second after.
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:13:20 GMT", now: Self.now) == .zero)
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:13:19 GMT", now: Self.now) == .zero)
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:13:21 GMT", now: Self.now) == .seconds(1))
        // A wall clock between seconds.
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:13:21 GMT", now: Self.now + 0.25) == .milliseconds(750))
        // The date captured from a real server, against a clock a day earlier.
        #expect(RetryAfter.delay("Wed, 21 Oct 2026 07:28:00 GMT", now: 1_792_567_680 - 86400) == .seconds(86400))
    }

    @Test func doesNotRequireTheWeekdayToMatchTheDate() {
        // 6 November 1994 was a Sunday; the grammar only asks for a day name.
        #expect(RetryAfter.date("Mon, 06 Nov 1994 08:49:37 GMT", now: Self.now) == Self.example)
        #expect(RetryAfter.date("Friday, 06-Nov-94 08:49:37 GMT", now: Self.now) == Self.example)
        #expect(RetryAfter.date("Wed Nov  6 08:49:37 1994", now: Self.now) == Self.example)
    }

    @Test func acceptsEveryDayAndMonthName() {
        let short = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let long = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for name in short {
            #expect(RetryAfter.date("\(name), 06 Nov 1994 08:49:37 GMT", now: Self.now) == Self.example)
            #expect(RetryAfter.date("\(name) Nov  6 08:49:37 1994", now: Self.now) == Self.example)
        }
        for name in long {
            #expect(RetryAfter.date("\(name), 06-Nov-94 08:49:37 GMT", now: Self.now) == Self.example)
        }
        for (index, month) in months.enumerated() {
            let expected = Double(RetryAfter.daysFromCivil(year: 2001, month: index + 1, day: 1)) * 86400
            #expect(RetryAfter.date("Mon, 01 \(month) 2001 00:00:00 GMT", now: Self.now) == expected)
            #expect(RetryAfter.date("Monday, 01-\(month)-01 00:00:00 GMT", now: Self.now) == expected)
            #expect(RetryAfter.date("Mon \(month)  1 00:00:00 2001", now: Self.now) == expected)
        }
    }

    @Test func readsLeapDaysAndLeapSeconds() {
        #expect(RetryAfter.date("Thu, 29 Feb 2024 00:00:00 GMT", now: Self.now) == 1_709_164_800)
        #expect(RetryAfter.date("Tue, 29 Feb 2000 00:00:00 GMT", now: Self.now) == 951_782_400)
        // 23:59:60 is the instant of the next midnight.
        #expect(RetryAfter.date("Sat, 31 Dec 2016 23:59:60 GMT", now: Self.now) == 1_483_228_800)
        #expect(RetryAfter.date("Sat, 31 Dec 2016 23:59:59 GMT", now: Self.now) == 1_483_228_799)
    }

    // MARK: RFC 850's two-digit year

    @Test(arguments: [
        ("Sunday, 06-Nov-94 08:49:37 GMT", 1994),
        ("Saturday, 01-Jan-00 00:00:00 GMT", 2000),
        ("Tuesday, 14-Nov-23 22:13:20 GMT", 2023),
        ("Monday, 01-Jan-72 00:00:00 GMT", 2072),
        // Fifty years after now to the second is not "more than 50 years in the future".
        ("Tuesday, 14-Nov-73 22:13:20 GMT", 2073),
        // A second later it is, so it means the previous century.
        ("Tuesday, 14-Nov-73 22:13:21 GMT", 1973),
        ("Monday, 01-Jan-74 00:00:00 GMT", 1974),
        ("Monday, 31-Dec-99 23:59:59 GMT", 1999),
    ])
    func placesATwoDigitYearWithinFiftyYearsOfNow(text: String, year: Int) throws {
        let seconds = try #require(RetryAfter.date(text, now: Self.now))
        let days = Int64((seconds / 86400).rounded(.down))
        #expect(RetryAfter.civilFromDays(days).year == Int64(year))
    }

    @Test func readsTwoDigitYearsRelativeToTheClock() {
        // In 2080, "05" is 2105 (25 years ahead) rather than 2005.
        let in2080 = Double(RetryAfter.daysFromCivil(year: 2080, month: 6, day: 1)) * 86400
        let expected = Double(RetryAfter.daysFromCivil(year: 2105, month: 1, day: 1)) * 86400
        #expect(RetryAfter.date("Monday, 01-Jan-05 00:00:00 GMT", now: in2080) == expected)
        // Before the epoch too.
        let in1900 = Double(RetryAfter.daysFromCivil(year: 1900, month: 1, day: 1)) * 86400
        let in1894 = Double(RetryAfter.daysFromCivil(year: 1894, month: 11, day: 6)) * 86400
        #expect(RetryAfter.date("Sunday, 06-Nov-94 00:00:00 GMT", now: in1900) == in1894)
    }

    // MARK: Malformed values

    @Test(arguments: [
        "", "   ", "-5", "+5", "1.5", ".5", "5.", "abc", "5s", "1 2", "0x10", "1e3", "١٢", "-0",
        // Not GMT, or not spelled as the RFC does.
        "Sun, 06 Nov 1994 08:49:37 PST",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "SUN, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 NOV 1994 08:49:37 GMT",
        "Sun, 06 Nov. 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Abc 1994 08:49:37 GMT",
        // Wrong widths or separators.
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 01994 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08.49.37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra",
        "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        // A day name from the wrong form.
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday Nov  6 08:49:37 1994",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT",
        "Sunday,06-Nov-94 08:49:37 GMT",
        // asctime is exact too.
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov   6 08:49:37 1994",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov  6 08:49:37 94",
        "Sun, Nov  6 08:49:37 1994",
        "Sun Nov 6  08:49:37 1994",
        // Fields out of range.
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 32 Dec 1994 08:49:37 GMT",
        "Sun, 29 Feb 1995 08:49:37 GMT",
        "Sun, 29 Feb 1900 08:49:37 GMT",
        "Sun, 30 Feb 2000 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun Nov  0 08:49:37 1994",
        "Sunday, 31-Apr-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 25:49:37 GMT",
    ])
    func refusesMalformedValues(value: String) {
        #expect(RetryAfter.delay(value, now: Self.now) == nil)
        #expect(RetryAfter.date(value, now: Self.now) == nil)
    }

    // MARK: Extremes

    @Test func clampsAndNeverTrapsAtTheExtremes() {
        // The furthest date there is: clamped to the longest delay.
        #expect(RetryAfter.date("Fri, 31 Dec 9999 23:59:59 GMT", now: Self.now) == 253_402_300_799)
        #expect(RetryAfter.delay("Fri, 31 Dec 9999 23:59:59 GMT", now: Self.now) == DurationText.maximum)
        // The earliest: year 0 of the proleptic Gregorian calendar.
        #expect(RetryAfter.date("Sat, 01 Jan 0000 00:00:00 GMT", now: Self.now) == -62_167_219_200)
        #expect(RetryAfter.delay("Sat, 01 Jan 0000 00:00:00 GMT", now: Self.now) == .zero)
        // Clocks that make no sense still give an answer rather than a trap.
        for now in [Double.infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0, -1e18, 1e18] {
            for value in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "5"] {
                let delay = RetryAfter.delay(value, now: now)
                #expect(delay != nil)
                if let delay { #expect(delay >= .zero && delay <= DurationText.maximum) }
            }
        }
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", now: -.infinity) == DurationText.maximum)
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", now: .infinity) == .zero)
    }

    // MARK: Calendar

    @Test func convertsBetweenCivilDatesAndDayCounts() {
        #expect(RetryAfter.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(RetryAfter.daysFromCivil(year: 2000, month: 3, day: 1) == 11017)
        #expect(RetryAfter.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
        #expect(RetryAfter.daysFromCivil(year: 0, month: 1, day: 1) == -719_528)
        #expect(RetryAfter.daysFromCivil(year: -1, month: 12, day: 31) == -719_529)
        // Every day of 1600-2400, one by one, round-trips and follows the previous one.
        let first = RetryAfter.daysFromCivil(year: 1600, month: 1, day: 1)
        let last = RetryAfter.daysFromCivil(year: 2400, month: 12, day: 31)
        var previous = RetryAfter.civilFromDays(first - 1)
        for days in first...last {
            let date = RetryAfter.civilFromDays(days)
            let back = RetryAfter.daysFromCivil(year: date.year, month: date.month, day: date.day)
            let nextDay = date.day == previous.day + 1 && date.month == previous.month && date.year == previous.year
            let nextMonth = date.day == 1 && previous.day == RetryAfter.daysIn(month: previous.month, year: previous.year)
                && (date.month == previous.month + 1 || (date.month == 1 && previous.month == 12 && date.year == previous.year + 1))
            if back != days || !(nextDay || nextMonth) {
                Issue.record("\(days): \(previous) is followed by \(date), which maps back to \(back)")
                return
            }
            previous = date
        }
    }
}
