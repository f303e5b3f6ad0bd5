import Foundation
import Testing
@testable import RetryCore

@Suite struct JSONReporterTests {
    struct FixedWall: WallClock { func now() -> Double { 1_795_489_498.7031 } }
    struct FixedClock: MonotonicClock { func now() -> Duration { .nanoseconds(123_456_789) } }

    func lines(_ event: RunEvent) -> [String] {
        var written: [String] = []
        JSONReporter(wall: FixedWall(), clock: FixedClock()) { written.append($0) }.report(event)
        return written
    }

    let stamp = #","time":"2026-11-24T03:04:58.703Z","monotonic_ns":123456789}"# + "\n"

    @Test func anAttemptThatFailsBecomesItsEndAndTheSleep() {
        let event = RunEvent.attemptFailed(.init(2, of: 5), .terminated(.exited(7)), elapsed: .milliseconds(312), next: .milliseconds(1840))
        #expect(lines(event) == [
            #"{"event":"attempt-end","attempt":2,"max_attempts":5,"outcome":"exited","status":7,"duration_ms":312"# + stamp,
            #"{"event":"sleep","after_attempt":2,"delay_ms":1840,"reason":"backoff""# + stamp,
        ])
    }

    @Test func theSleepSaysWhereItsDelayCameFrom() {
        let retryAfter = RunEvent.attemptFailed(.init(1, of: 5), .flagged(.exited(0), .http(429)), elapsed: .milliseconds(4),
                                                next: .milliseconds(2500), because: .retryAfter)
        #expect(lines(retryAfter).last == #"{"event":"sleep","after_attempt":1,"delay_ms":2500,"reason":"retry-after""# + stamp)
        let shared = RunEvent.attemptFailed(.init(1, of: 5), .terminated(.exited(1)), elapsed: .milliseconds(4),
                                            next: .seconds(6), because: .sharedRetryAfter)
        #expect(lines(shared).last == #"{"event":"sleep","after_attempt":1,"delay_ms":6000,"reason":"shared-retry-after""# + stamp)
    }

    @Test func everyEventKindHasItsFields() {
        #expect(lines(.attemptStarted(.init(1, of: nil))) == [#"{"event":"attempt-start","attempt":1,"max_attempts":null"# + stamp])
        #expect(lines(.succeeded(.init(3, of: 5), elapsed: .microseconds(1500))) == [
            #"{"event":"attempt-end","attempt":3,"max_attempts":5,"outcome":"exited","status":0,"duration_ms":1.5"# + stamp,
            #"{"event":"success","attempts":3,"status":0"# + stamp,
        ])
        #expect(lines(.attemptFailed(.init(1, of: 1), .terminated(.signaled(9)), elapsed: .seconds(1), next: nil)) == [
            #"{"event":"attempt-end","attempt":1,"max_attempts":1,"outcome":"signaled","status":137,"signal":"SIGKILL","duration_ms":1000"# + stamp,
        ])
        #expect(lines(.attemptFailed(.init(1, of: 1), .timedOut(limit: .milliseconds(200)), elapsed: .milliseconds(203), next: nil)) == [
            #"{"event":"attempt-end","attempt":1,"max_attempts":1,"outcome":"timed-out","status":124,"timeout_ms":200,"duration_ms":203"# + stamp,
        ])
        #expect(lines(.gaveUp(.notRetryable(.stopOn), attempts: 2, status: RetryCore.ExitStatus(rawValue: 2))) == [
            #"{"event":"give-up","attempts":2,"status":2,"reason":"not-retryable","detail":"stop-on","message":"not retrying: exit status 2 is in --stop-on; exit status 2""# + stamp,
        ])
        #expect(lines(.launchFailed(.init(1, of: 5), .notFound("nope"))) == [
            #"{"event":"give-up","attempts":1,"status":127,"reason":"cannot-start","message":"nope: command not found (check the name and PATH)""# + stamp,
        ])
        #expect(lines(.interrupted(15, duringAttempt: false)) == [#"{"event":"interrupted","signal":"SIGTERM","during":"sleep","status":143"# + stamp])
        #expect(lines(.breakerOpen("open \"b\"")) == [#"{"event":"breaker-open","status":75,"message":"open \"b\"""# + stamp])
        #expect(lines(.memoryState(["a", "b"])) == [#"{"event":"state","lines":["a","b"]"# + stamp])
    }

    @Test func everyLineIsValidJSON() throws {
        let events: [RunEvent] = [
            .attemptStarted(.init(1, of: 5)),
            .attemptFailed(.init(1, of: 5), .terminated(.exited(1)), elapsed: .milliseconds(3), next: .seconds(1)),
            .gaveUp(.budgetWouldPass(.seconds(30), delay: .seconds(8)), attempts: 3, status: .usage),
            .gaveUp(.quotaEmpty, attempts: 3, status: .usage),
            .breakerOpen("quote \" backslash \\ newline \n tab \t bell \u{7}"),
        ]
        for line in events.flatMap(lines) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["event"] is String, "\(line)")
        }
    }
}
