import Testing
@testable import RetryCore

@Suite struct ScheduleTests {
    @Test func rowsGiveTheRangeAndTheWorstCaseTotal() throws {
        let schedule = Schedule(try parsedConfiguration("-n", "4", "--dry-run"))
        #expect(schedule.rows == [
            .init(attempt: 1, delay: nil, total: .zero),
            .init(attempt: 2, delay: .zero ... .seconds(1), total: .seconds(1)),
            .init(attempt: 3, delay: .zero ... .seconds(2), total: .seconds(3)),
            .init(attempt: 4, delay: .zero ... .seconds(4), total: .seconds(7)),
        ])
        #expect(schedule.worstCase == .seconds(7) && schedule.omitted == nil)
    }

    @Test func rendersATableAPersonReadsAtAGlance() throws {
        let text = Schedule(try parsedConfiguration("-n", "3", "-b", "2s", "-j", "equal", "--dry-run")).render()
        #expect(text == """
            strategy exponential, base 2s, multiplier 2, cap 1m, jitter equal, at most 3 attempts
            jitter equal (from --jitter): each delay drawn from half to all of its value

            attempt  delay before it  total, worst case
                  1  -                0ms
                  2  1s to 2s         2s
                  3  2s to 4s         6s

            """)
    }

    @Test func withHTTPTheDryRunSaysWhatARetryAfterDoes() throws {
        let text = Schedule(try parsedConfiguration("--http", "--max-retry-after", "2m", "--dry-run")).render()
        #expect(text.contains("\nwith --http, a response's Retry-After R replaces the delay (reason retry-after): R plus a random spread of 0 to 100% of R (or to the delay below before jitter, when longer), at most the --max-retry-after of 2m\n"))
        #expect(!Schedule(try parsedConfiguration("--dry-run")).render().contains("Retry-After"))
    }

    @Test func eachStrategyGetsTheJitterItsUsersExpectAndSaysWhy() throws {
        let cases: [(String, Jitter, String)] = [
            ("constant", .proportional(0.2), "jitter 20% (the default for constant): each delay its value ±20%, at random"),
            ("linear", .proportional(0.2), "jitter 20% (the default for linear): each delay its value ±20%, at random"),
            ("exponential", .full, "jitter full (the default for exponential): each delay drawn from 0 to its value"),
            ("decorrelated", .none, "jitter none (decorrelated is random by itself): no further jitter"),
        ]
        for (strategy, jitter, line) in cases {
            let configuration = try parsedConfiguration("-s", strategy, "--dry-run")
            #expect(configuration.backoff.jitter == jitter)
            #expect(Schedule(configuration).render().split(separator: "\n")[1] == line)
        }
        let none = try parsedConfiguration("-s", "constant", "-j", "none", "--dry-run")
        #expect(Schedule(none).render().split(separator: "\n")[1] == "jitter none (from --jitter): clients started together retry together")
        let given = try parsedConfiguration("-s", "constant", "-j", "20%", "--dry-run")
        #expect(Schedule(given).render().split(separator: "\n")[1].hasPrefix("jitter 20% (the default for constant)"),
                "a --jitter that names the default is the default")
    }

    @Test func aSeedShowsTheExactDelaysTheRunWillTake() throws {
        let configuration = try parsedConfiguration("-s", "decorrelated", "-b", "100ms", "--seed", "4", "-n", "5", "--dry-run")
        let schedule = Schedule(configuration)
        var random = SplitMix64(seed: 4)
        var previous: Duration?
        var total = Duration.zero
        for row in schedule.rows.dropFirst() {
            let delay = configuration.backoff.delay(after: row.attempt - 1, previous: previous, using: &random)
            previous = delay
            total += delay
            #expect(row.delay == delay...delay)
            #expect(row.total == total)
        }
        #expect(schedule.render().contains("attempt  delay  total slept"))
    }

    @Test func aRunWithoutLimitIsSummarised() throws {
        let schedule = Schedule(try parsedConfiguration("--forever", "--dry-run"))
        #expect(schedule.rows.count == Schedule.rowLimit)
        #expect(schedule.worstCase == nil)
        #expect(schedule.render().hasSuffix("... and so on without limit, each delay at most 1m\n"))
    }

    @Test func aHugeLimitIsSummarisedWithABoundedWorstCase() throws {
        let schedule = Schedule(try parsedConfiguration("-n", "1000000000", "-j", "none", "--dry-run"))
        #expect(schedule.rows.count == Schedule.rowLimit)
        #expect(schedule.omitted == 1_000_000_000 - Schedule.rowLimit)
        // 1+2+4+8+16+32 seconds, then the cap for the other 999,999,993 delays.
        #expect(schedule.worstCase == .seconds(63 + 999_999_993 * 60))
        #expect(schedule.render().contains("... and 999999970 more attempts; total, worst case: "))
    }

    @Test func oneAttemptHasNoDelays() throws {
        let schedule = Schedule(try parsedConfiguration("-n", "1", "--dry-run"))
        #expect(schedule.rows == [.init(attempt: 1, delay: nil, total: .zero)])
        #expect(schedule.worstCase == .zero)
    }
}
