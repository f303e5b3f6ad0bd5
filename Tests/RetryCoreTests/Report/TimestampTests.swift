import Testing
@testable import RetryCore

@Suite struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (1_795_579_925.12, "2026-11-25T04:12:06Z"), // rounded up to the next second
        (951_782_400, "2000-02-29T00:00:00Z"),
        (900_000_000_000, "30489-11-11T16:00:00Z"), // the latest time a state file holds
    ])
    func formatsUTC(seconds: Double, text: String) {
        #expect(Timestamp.utc(seconds) == text)
    }
}
