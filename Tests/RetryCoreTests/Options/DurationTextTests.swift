import Testing
@testable import RetryCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("1.5s", .milliseconds(1500)), ("2m", .seconds(120)),
        ("1h", .seconds(3600)), ("3", .seconds(3)), ("0", .zero), (".5", .milliseconds(500)),
        ("0.001s", .milliseconds(1)), ("1.25m", .seconds(75)), ("0.5ms", .microseconds(500)),
        ("1000000000", .seconds(1_000_000_000)),
        // The compound forms `format` writes, and a few more.
        ("1m30s", .seconds(90)), ("23m03s", .seconds(1383)), ("1h30m", .seconds(5400)), ("1h02m03s", .seconds(3723)),
        ("2m0.5s", .milliseconds(120_500)), ("1s500ms", .milliseconds(1500)), ("1h0m0s", .seconds(3600)),
        ("277777h46m40s", .seconds(1_000_000_000)),
    ])
    func parsesNumbersWithUnits(text: String, expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "s", "1x", "1.", "1..2", "1e3", "inf", "nan", "1 s", "1S", "0x10", "+1", "1.5.5s", "١s",
                     // Compounds: units largest first, each once, every part with a unit.
                     "30s1m", "1m1m", "1m30", "1h 30m", "1m+30s", "m30s", "1ms5s", "1m-5s"])
    func refusesWhatIsNotADuration(text: String) {
        #expect(throws: InvalidValue("expected \(DurationText.expected)")) { try DurationText.parse(text) }
    }

    @Test(arguments: ["0.0000000001", "0.0000000004s", "0.0000001ms"])
    func roundsAPositiveValueBelowANanosecondUpToOne(text: String) throws {
        #expect(try DurationText.parse(text) == .nanoseconds(1), "not 0, which would mean no limit")
        #expect(try DurationText.parse("0.0000000000") == .zero)
    }

    @Test func refusesNegativeDurations() {
        #expect(throws: InvalidValue("durations cannot be negative")) { try DurationText.parse("-1s") }
        #expect(throws: InvalidValue("durations cannot be negative")) { try DurationText.parse("-0") }
    }

    @Test(arguments: ["1000000001", "16666667m", "99999999999999999999999999", String(repeating: "9", count: 301), "300000h"])
    func refusesDurationsBeyondTheMaximum(text: String) {
        #expect(throws: InvalidValue("too large; the most is 277777h46m40s")) { try DurationText.parse(text) }
    }

    @Test(arguments: [
        (Duration.zero, "0ms"), (.milliseconds(250), "250ms"), (.milliseconds(1840), "1.84s"),
        (.milliseconds(1500), "1.5s"), (.seconds(2), "2s"), (.seconds(60), "1m"), (.seconds(125), "2m05s"),
        (.seconds(3600), "1h"), (.seconds(3720), "1h02m"), (.seconds(3723), "1h02m03s"), (.milliseconds(59_999), "1m"),
        (.microseconds(999_600), "1s"), (.milliseconds(90_400), "1m30.4s"), (.milliseconds(120_500), "2m0.5s"),
        (.milliseconds(3_723_250), "1h02m3.25s"), (.milliseconds(3_600_500), "1h00m0.5s"),
        (.nanoseconds(90_400_000_001), "1m30s"), (.nanoseconds(3_599_930_000_007), "1h"),
    ])
    func formatsForPeople(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    /// Whatever `format` prints, `parse` reads back: to the same text, and
    /// to the duration within the rounding of the printed form.
    @Test func everyFormattedDurationParsesBack() throws {
        var values: [Duration] = (0...2_000).map { .milliseconds($0 * 37) }
        values += (0...2_000).map { .seconds($0 * 53) }
        values += [.nanoseconds(499_999), .microseconds(999_499), .milliseconds(59_994), .milliseconds(59_996),
                   .seconds(3599), .seconds(3600), .seconds(86_399), DurationText.maximum]
        var generator = SplitMix64(seed: 15)
        values += (0..<2_000).map { _ in .nanoseconds(Int64.random(in: 0...1_000_000_000_000_000, using: &generator)) }
        for value in values {
            let text = DurationText.format(value)
            let back = try DurationText.parse(text)
            #expect(DurationText.format(back) == text, "\(value) -> \(text) -> \(back)")
            let resolution: Duration = value < .seconds(1) ? .microseconds(500) : value < .seconds(60) ? .milliseconds(5) : .milliseconds(500)
            #expect(max(back - value, value - back) <= resolution, "\(value) -> \(text) -> \(back)")
        }
    }

    @Test func clampsSecondsIntoRange() {
        #expect(Duration.clampedSeconds(.nan) == .zero)
        #expect(Duration.clampedSeconds(-5) == .zero)
        #expect(Duration.clampedSeconds(.infinity) == DurationText.maximum)
        #expect(Duration.clampedSeconds(1e300) == DurationText.maximum)
        #expect(Duration.clampedSeconds(1.5) == .milliseconds(1500))
    }
}
