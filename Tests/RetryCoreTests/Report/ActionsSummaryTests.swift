import Testing
@testable import RetryCore

@Suite struct ActionsSummaryTests {
    @Test func onlyInGitHubActions() {
        #expect(ActionsSummary.isActive(environment: ["GITHUB_ACTIONS": "true"]))
        #expect(!ActionsSummary.isActive(environment: ["GITHUB_ACTIONS": "false"]))
        #expect(!ActionsSummary.isActive(environment: [:]))
    }

    @Test func aRunThatGaveUpIsATableAndThreeOutputs() {
        let system = FakeSystem([])
        let summary = ActionsSummary(command: ["sh", "-c", "echo `x`\nexit 7"], clock: system)
        let first = RunEvent.Attempt(1, of: 2), second = RunEvent.Attempt(2, of: 2)
        summary.record(.attemptStarted(first))
        summary.record(.attemptFailed(first, .timedOut(limit: .seconds(1)), elapsed: .seconds(1), next: .milliseconds(250)))
        summary.record(.attemptStarted(second))
        summary.record(.attemptFailed(second, .terminated(.exited(7)), elapsed: .milliseconds(12), next: nil))
        summary.record(.gaveUp(.attemptsExhausted, attempts: 2, status: RetryCore.ExitStatus(rawValue: 7)))
        let result = RunResult.exit(RetryCore.ExitStatus(rawValue: 7))
        #expect(summary.markdown(result) == """
            ### retry: ``sh -c $'echo `x`\\nexit 7'``

            | Attempt | Status | Duration | Reason |
            |---:|---:|---:|---|
            | 1 | 124 | 1s | timeout |
            | 2 | 7 | 12ms | exit |

            Exit status 7 after 2 attempts (exit).


            """)
        #expect(summary.outputs(result) == "attempts=2\nexit_status=7\nreason=exit\n")
    }

    /// The heading's command types back into a shell as it ran.
    @Test func theHeadingQuotesTheCommandAsAShellNeedsIt() {
        #expect(ShellWords.quoted(["curl", "-fsS", "https://x/q?a=1&b=2"]) == "curl -fsS 'https://x/q?a=1&b=2'")
        #expect(ShellWords.quoted(["sh", "-c", #"echo "x"; it's"#]) == #"sh -c 'echo "x"; it'\''s'"#)
        #expect(ShellWords.quoted(["printf", "a\tb\n", ""]) == #"printf $'a\tb\n' ''"#)
        #expect(ActionsSummary.codeSpan("a ` b") == "``a ` b``")
        #expect(ActionsSummary.codeSpan("`x`") == "`` `x` ``")
        #expect(ActionsSummary.codeSpan("plain") == "`plain`")
    }

    @Test func theLimitThatEndedTheRunIsTheReason() {
        let system = FakeSystem([])
        let summary = ActionsSummary(command: ["true"], clock: system)
        summary.record(.attemptStarted(.init(1, of: nil)))
        summary.record(.attemptFailed(.init(1, of: nil), .terminated(.exited(1)), elapsed: .zero, next: nil))
        summary.record(.gaveUp(.quotaEmpty, attempts: 1, status: RetryCore.ExitStatus(rawValue: 1)))
        #expect(summary.outputs(.exit(RetryCore.ExitStatus(rawValue: 1))) == "attempts=1\nexit_status=1\nreason=quota\n")
        let success = ActionsSummary(command: ["true"], clock: system)
        success.record(.attemptStarted(.init(1, of: 5)))
        success.record(.succeeded(.init(1, of: 5), elapsed: .milliseconds(3)))
        #expect(success.outputs(.exit(.success)) == "attempts=1\nexit_status=0\nreason=success\n")
        let refused = ActionsSummary(command: ["true"], clock: system)
        refused.record(.breakerOpen("open"))
        #expect(refused.outputs(.exit(.breakerOpen)) == "attempts=0\nexit_status=75\nreason=breaker\n")
        let stopped = ActionsSummary(command: ["true"], clock: system)
        stopped.record(.attemptStarted(.init(1, of: 5)))
        stopped.record(.interrupted(15, duringAttempt: true))
        #expect(stopped.outputs(.signal(15)) == "attempts=1\nexit_status=143\nreason=interrupted\n")
    }
}
