import Testing
@testable import RetryCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("1.5s", .milliseconds(1500)), ("2m", .seconds(120)),
        ("1h", .seconds(3600)), ("3", .seconds(3)), ("0", .zero), (".5", .milliseconds(500)),
        ("0.001s", .milliseconds(1)), ("1.25m", .seconds(75)), ("0.5ms", .microseconds(500)),
        ("1000000000", .seconds(1_000_000_000)),
    ])
    func parsesNumbersWithUnits(text: String, expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "s", "1x", "1.", "1..2", "1e3", "inf", "nan", "1 s", "1S", "0x10", "+1", "1.5.5s", "١s"])
    func refusesWhatIsNotADuration(text: String) {
        #expect(throws: InvalidValue("expected \(DurationText.expected)")) { try DurationText.parse(text) }
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
        (.seconds(3600), "1h"), (.seconds(3720), "1h02m"), (.seconds(3723), "1h02m03s"), (.milliseconds(59_999), "60s"),
    ])
    func formatsForPeople(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test func clampsSecondsIntoRange() {
        #expect(Duration.clampedSeconds(.nan) == .zero)
        #expect(Duration.clampedSeconds(-5) == .zero)
        #expect(Duration.clampedSeconds(.infinity) == DurationText.maximum)
        #expect(Duration.clampedSeconds(1e300) == DurationText.maximum)
        #expect(Duration.clampedSeconds(1.5) == .milliseconds(1500))
    }
}
