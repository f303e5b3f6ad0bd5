import Testing
@testable import RetryCore

/// The statuses `retry` chooses, from the one place that chooses them.
@Suite struct ExitStatusTests {
    @Test func eachCauseHasItsDocumentedStatus() {
        // Swift Testing has an `ExitStatus` of its own.
        typealias Cause = RetryCore.ExitStatus.Cause
        let expected: [(Cause, Int32)] = [
            (Cause.usage, 125), (Cause.outputLost, 125), (Cause.sharedStateRefused, 125), (Cause.inputNotKept, 125),
            (Cause.unfitToRun, 125), (Cause.launch(.notFound("x")), 127), (Cause.launch(.cannotInvoke("x", reason: "y")), 126),
            (Cause.launch(.setup("z")), 125), (Cause.breakerOpen, 75), (Cause.timedOut, 124), (Cause.outputFailedSuccess, 1),
            (Cause.readerGone, 141), (Cause.signal(2), 130), (Cause.signal(15), 143), (Cause.printed, 0),
        ]
        for (cause, status) in expected {
            #expect(RetryCore.ExitStatus(for: cause).rawValue == status, "\(cause)")
        }
    }

    @Test func aRunEndedByASignalShowsItsShellStatus() {
        #expect(RunResult.signal(15).status.rawValue == 143)
        #expect(AttemptOutcome.flagged(.exited(0), .http(503)).status.rawValue == 1)
    }
}
