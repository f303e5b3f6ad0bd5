import Testing
@testable import RetryCore

@Suite struct TextReporterTests {
    let second = RunEvent.Attempt(2, of: 5)

    func lines(_ event: RunEvent) -> [Verbosity: String?] {
        Dictionary(uniqueKeysWithValues: [Verbosity.quiet, .normal, .verbose].map { ($0, TextReporter.line(for: event, verbosity: $0)) })
    }

    @Test func aFailedAttemptSaysWhichStatusAndWhatNext() {
        let event = RunEvent.attemptFailed(second, .terminated(.exited(7)), elapsed: .milliseconds(312), next: .milliseconds(1840))
        #expect(lines(event) == [
            .quiet: nil,
            .normal: "attempt 2/5 failed with exit status 7; next in 1.84s",
            .verbose: "attempt 2/5 failed with exit status 7 after 312ms; next in 1.84s",
        ])
        let last = RunEvent.attemptFailed(.init(5, of: 5), .terminated(.signaled(9)), elapsed: .seconds(1), next: nil)
        #expect(TextReporter.line(for: last, verbosity: .normal) == "attempt 5/5 was killed by SIGKILL (exit status 137)")
        let unlimited = RunEvent.attemptFailed(.init(12, of: nil), .terminated(.exited(1)), elapsed: .zero, next: .seconds(60))
        #expect(TextReporter.line(for: unlimited, verbosity: .normal) == "attempt 12 failed with exit status 1; next in 1m")
    }

    @Test func aDelayFromRetryAfterSaysSo() {
        let event = RunEvent.attemptFailed(second, .flagged(.exited(0), .http(429)), elapsed: .zero, next: .milliseconds(2500),
                                           because: .retryAfter)
        #expect(TextReporter.line(for: event, verbosity: .verbose)?.hasSuffix("; next in 2.5s (Retry-After)") == true)
        #expect(TextReporter.line(for: .retryAfter(asked: .seconds(2), waiting: .milliseconds(2500)), verbosity: .normal)
            == "the server asked to wait 2s (Retry-After); waiting 2.5s: that, plus a random spread so that runs turned away together come back apart")
        #expect(TextReporter.line(for: .retryAfter(asked: .seconds(2), waiting: .seconds(1)), verbosity: .normal)
            == "the server asked to wait 2s (Retry-After); waiting the --max-retry-after of 1s")
    }

    @Test func timeoutsBudgetsAndSignalsSayWhatHappened() {
        let timedOut = RunEvent.attemptFailed(second, .timedOut(limit: .milliseconds(200)), elapsed: .milliseconds(1110), next: .milliseconds(8))
        #expect(lines(timedOut) == [
            .quiet: nil,
            .normal: "attempt 2/5 timed out at its --timeout of 200ms (exit status 124); next in 8ms",
            .verbose: "attempt 2/5 timed out at its --timeout of 200ms (exit status 124); next in 8ms",
        ])
        #expect(TextReporter.line(for: .gaveUp(.budgetSpent(.seconds(30)), attempts: 3, status: .timedOut), verbosity: .normal)
            == "giving up: the --budget of 30s ran out during attempt 3; exit status 124")
        #expect(TextReporter.line(for: .gaveUp(.budgetWouldPass(.seconds(30), delay: .seconds(8)), attempts: 3, status: .usage), verbosity: .normal)
            == "giving up: waiting 8s would pass the --budget of 30s; exit status 125")
        #expect(TextReporter.line(for: .interrupted(15, duringAttempt: true), verbosity: .normal)
            == "got SIGTERM; stopped the command, no further attempts")
        #expect(TextReporter.line(for: .interrupted(2, duringAttempt: false), verbosity: .normal) == "got SIGINT; no further attempts")
    }

    @Test func startsAndSuccessesShowOnlyWhenVerbose() {
        #expect(lines(.attemptStarted(second)) == [.quiet: nil, .normal: nil, .verbose: "attempt 2/5 starting"])
        #expect(lines(.succeeded(second, elapsed: .milliseconds(1500))) == [.quiet: nil, .normal: nil, .verbose: "attempt 2/5 succeeded after 1.5s"])
    }

    @Test func givingUpSaysWhy() {
        let seven = RetryCore.ExitStatus(rawValue: 7)
        #expect(TextReporter.line(for: .gaveUp(.attemptsExhausted, attempts: 5, status: seven), verbosity: .normal)
            == "giving up after 5 attempts; exit status 7")
        #expect(TextReporter.line(for: .gaveUp(.attemptsExhausted, attempts: 1, status: seven), verbosity: .normal)
            == "giving up after 1 attempt; exit status 7")
        #expect(TextReporter.line(for: .gaveUp(.notRetryable(.stopOn), attempts: 1, status: seven), verbosity: .normal)
            == "not retrying: exit status 7 is in --stop-on; exit status 7")
        #expect(TextReporter.line(for: .gaveUp(.notRetryable(.notInRetryOn), attempts: 1, status: seven), verbosity: .normal)
            == "not retrying: exit status 7 is not in --retry-on; exit status 7")
        #expect(TextReporter.line(for: .gaveUp(.notRetryable(.cannotRun), attempts: 1, status: .notFound), verbosity: .normal)
            == "not retrying: exit status 127 means the command could not be found or run; exit status 127")
        // --quiet keeps the one line of a run that ends without success.
        #expect(TextReporter.line(for: .gaveUp(.attemptsExhausted, attempts: 5, status: seven), verbosity: .quiet)
            == "giving up after 5 attempts; exit status 7")
        #expect(TextReporter.line(for: .gaveUp(.notRetryable(.stopOn), attempts: 1, status: seven), verbosity: .quiet)
            == "not retrying: exit status 7 is in --stop-on; exit status 7")
        #expect(TextReporter.line(for: .interrupted(15, duringAttempt: true), verbosity: .quiet)
            == "got SIGTERM; stopped the command, no further attempts")
    }

    @Test func stoppingEarlyForALimitSaysWhyEvenWhenQuiet() {
        let one = RetryCore.ExitStatus(rawValue: 1)
        let early: [RunEvent.GiveUp] = [.quotaEmpty, .budgetSpent(.seconds(30)), .budgetWouldPass(.seconds(30), delay: .seconds(8)),
                                        .retryAfterPastBudget(.seconds(30), asked: .seconds(60))]
        for reason in early {
            let event = RunEvent.gaveUp(reason, attempts: 2, status: one)
            let normal = TextReporter.line(for: event, verbosity: .normal)
            #expect(normal?.hasPrefix("giving up: ") == true)
            #expect(TextReporter.line(for: event, verbosity: .quiet) == normal)
        }
    }

    @Test func launchFailuresShowEvenWhenQuiet() {
        let event = RunEvent.launchFailed(.init(1, of: 5), .notFound("curl"))
        #expect(lines(event) == [
            .quiet: "curl: command not found (check the name and PATH)",
            .normal: "curl: command not found (check the name and PATH)",
            .verbose: "curl: command not found (check the name and PATH)",
        ])
        #expect(LaunchFailure.notFound("./run.sh").message == "./run.sh: no such file")
        #expect(LaunchFailure.cannotInvoke("x", reason: "is a directory").message == "x: cannot run: is a directory")
    }

    @Test func writesWholePrefixedLines() {
        var written: [String] = []
        TextReporter(verbosity: .normal) { written.append($0) }
            .report(.gaveUp(.attemptsExhausted, attempts: 2, status: .usage))
        #expect(written == ["retry: giving up after 2 attempts; exit status 125\n"])
    }

    @Test func signalNames() {
        #expect(SignalName.of(2) == "SIGINT")
        #expect(SignalName.of(15) == "SIGTERM")
        #expect(SignalName.of(31) == "SIGSYS")
        #expect(SignalName.of(40) == "signal 40")
    }

    @Test func colourOnlyAtATerminalWithoutNoColor() {
        #expect(TextReporter.Style.detect(environment: [:], standardErrorIsTerminal: true).colour)
        #expect(!TextReporter.Style.detect(environment: [:], standardErrorIsTerminal: false).colour)
        #expect(!TextReporter.Style.detect(environment: ["NO_COLOR": "1"], standardErrorIsTerminal: true).colour)
        #expect(TextReporter.Style.detect(environment: ["NO_COLOR": ""], standardErrorIsTerminal: true).colour, "an empty NO_COLOR does not count")
        #expect(!TextReporter.Style.detect(environment: ["TERM": "dumb"], standardErrorIsTerminal: true).colour)
        var written: [String] = []
        let reporter = TextReporter(verbosity: .normal, style: .init(colour: true)) { written.append($0) }
        reporter.report(.attemptFailed(second, .terminated(.exited(7)), elapsed: .zero, next: .seconds(1)))
        reporter.report(.gaveUp(.attemptsExhausted, attempts: 5, status: .usage))
        #expect(written == ["retry: \u{1B}[33mattempt 2/5 failed with exit status 7; next in 1s\u{1B}[0m\n",
                            "retry: \u{1B}[31mgiving up after 5 attempts; exit status 125\u{1B}[0m\n"])
    }

    @Test func githubActionsGetsAGroupPerAttemptAndWarningsForFailures() {
        #expect(TextReporter.Style.detect(environment: ["GITHUB_ACTIONS": "true"], standardErrorIsTerminal: false).githubActions)
        #expect(!TextReporter.Style.detect(environment: [:], standardErrorIsTerminal: false).githubActions)
        var written: [String] = []
        let reporter = TextReporter(verbosity: .normal, style: .init(githubActions: true)) { written.append($0) }
        let first = RunEvent.Attempt(1, of: 2), last = RunEvent.Attempt(2, of: 2)
        reporter.report(.attemptStarted(first))
        reporter.report(.attemptFailed(first, .terminated(.exited(7)), elapsed: .zero, next: .milliseconds(5)))
        reporter.report(.attemptStarted(last))
        reporter.report(.succeeded(last, elapsed: .zero))
        #expect(written == [
            "::group::retry: attempt 1/2\n",
            "::endgroup::\n",
            "retry: attempt 1/2 failed with exit status 7; next in 5ms\n",
            "::warning title=retry::attempt 1/2 failed with exit status 7; next in 5ms\n",
            "::group::retry: attempt 2/2\n",
            "::endgroup::\n",
        ])
        #expect(TextReporter.escapedForWorkflow("100% done\r\nnext") == "100%25 done%0D%0Anext")
        var quiet: [String] = []
        let quietReporter = TextReporter(verbosity: .quiet, style: .init(githubActions: true)) { quiet.append($0) }
        quietReporter.report(.attemptStarted(first))
        quietReporter.report(.attemptFailed(first, .terminated(.exited(7)), elapsed: .zero, next: .milliseconds(5)))
        #expect(quiet == ["::group::retry: attempt 1/2\n", "::endgroup::\n"], "-q keeps the groups, drops the annotations")
    }
}
