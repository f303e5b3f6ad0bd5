import Testing
@testable import RetryCore

/// How hooks and the stagger read in the text and JSON logs.
@Suite struct HookReportTests {
    func text(_ event: RunEvent, _ verbosity: Verbosity = .normal) -> String? {
        TextReporter.line(for: event, verbosity: verbosity)
    }

    @Test func aFailedHookIsOneLineAndASuccessfulOneIsVerboseOnly() {
        let ok = RunEvent.hookEnded(.beforeRetry, attempt: 1, .finished(.terminated(.exited(0))), elapsed: .milliseconds(12))
        #expect(text(ok) == nil)
        #expect(text(ok, .verbose) == "the --before-retry hook succeeded after 12ms")
        #expect(text(.hookEnded(.onGiveUp, attempt: 3, .finished(.terminated(.exited(2))), elapsed: .zero))
            == "the --on-give-up hook failed with exit status 2 (ignored)")
        #expect(text(.hookEnded(.beforeRetry, attempt: 1, .finished(.timedOut(limit: .seconds(30))), elapsed: .seconds(35)))
            == "the --before-retry hook timed out at its --hook-timeout of 30s (exit status 124, ignored)")
        #expect(text(.hookEnded(.beforeRetry, attempt: 1, .finished(.terminated(.signaled(9))), elapsed: .zero))
            == "the --before-retry hook was killed by SIGKILL (exit status 137, ignored)")
        #expect(text(.hookEnded(.beforeRetry, attempt: 1, .cannotStart(.notFound("/bin/sh")), elapsed: .zero))
            == "the --before-retry hook could not start: /bin/sh: no such file (ignored)")
        #expect(text(.hookEnded(.beforeRetry, attempt: 1, .finished(.terminated(.exited(2))), elapsed: .zero), .quiet) == nil)
        #expect(text(.hookStarted(.onGiveUp, attempt: 2)) == nil)
        #expect(text(.hookStarted(.onGiveUp, attempt: 2), .verbose) == "running the --on-give-up hook")
        #expect(text(.interruptedDuringHook(15, .onGiveUp)) == "got SIGTERM; stopped the --on-give-up hook, no further attempts")
        #expect(text(.gaveUp(.budgetSpentInHook(.seconds(2)), attempts: 1, status: RetryCore.ExitStatus(rawValue: 7)))
            == "giving up: the --budget of 2s ran out during the --before-retry hook; exit status 7")
        #expect(text(.stagger(.milliseconds(1500)), .verbose) == "waiting 1.5s (--stagger) before the first attempt")
        #expect(text(.stagger(.milliseconds(1500))) == nil)
    }

    func json(_ event: RunEvent) -> [String] {
        JSONReporter.objects(for: event).map { JSONValue.object($0).encoded }
    }

    @Test func hooksAndTheStaggerAreJSONEvents() {
        #expect(json(.stagger(.milliseconds(250))) == [#"{"event":"stagger","delay_ms":250}"#])
        #expect(json(.hookStarted(.beforeRetry, attempt: 1)) == [#"{"event":"hook-start","hook":"before-retry","after_attempt":1}"#])
        #expect(json(.hookEnded(.beforeRetry, attempt: 1, .finished(.terminated(.exited(3))), elapsed: .milliseconds(4))) == [
            #"{"event":"hook-end","hook":"before-retry","after_attempt":1,"outcome":"exited","status":3,"duration_ms":4}"#])
        #expect(json(.hookEnded(.onGiveUp, attempt: 2, .finished(.timedOut(limit: .seconds(1))), elapsed: .seconds(2))) == [
            #"{"event":"hook-end","hook":"on-give-up","after_attempt":2,"outcome":"timed-out","status":124,"duration_ms":2000}"#])
        #expect(json(.hookEnded(.onGiveUp, attempt: 2, .interrupted(2), elapsed: .zero)) == [
            #"{"event":"hook-end","hook":"on-give-up","after_attempt":2,"outcome":"interrupted","status":130,"signal":"SIGINT","duration_ms":0}"#])
        #expect(json(.hookEnded(.beforeRetry, attempt: 1, .budgetSpent, elapsed: .zero)) == [
            #"{"event":"hook-end","hook":"before-retry","after_attempt":1,"outcome":"budget-spent","status":124,"duration_ms":0}"#])
        #expect(json(.interruptedDuringHook(15, .beforeRetry)) == [
            #"{"event":"interrupted","signal":"SIGTERM","during":"hook","hook":"before-retry","status":143}"#])
        #expect(json(.gaveUp(.budgetSpentInHook(.seconds(2)), attempts: 1, status: RetryCore.ExitStatus(rawValue: 7))).first?
            .hasPrefix(#"{"event":"give-up","attempts":1,"status":7,"reason":"budget-spent-in-hook","budget_ms":2000,"message":"#) == true)
    }
}
