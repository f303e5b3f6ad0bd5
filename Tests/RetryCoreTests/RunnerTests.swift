import Testing
@testable import RetryCore

@Suite struct RunnerTests {
    struct Run {
        let status: RetryCore.ExitStatus
        let events: [RunEvent]
        let launcher: FakeLauncher
        let clock: FakeClock
    }

    func run(_ words: String..., script: [FakeLauncher.Step], seed: UInt64 = 1) throws -> Run {
        let configuration = try parsedConfiguration(words)
        let clock = FakeClock()
        let launcher = FakeLauncher(script, clock: clock)
        var events: [RunEvent] = []
        let runner = Runner(configuration: configuration, environment: ["PATH": "/bin", "HOME": "/root"],
                            idempotencyKey: "key-1", launcher: launcher, clock: clock, sleeper: clock,
                            report: { events.append($0) })
        var random = SplitMix64(seed: seed)
        let status = runner.run(random: &random)
        return Run(status: status, events: events, launcher: launcher, clock: clock)
    }

    func parsedConfiguration(_ words: [String]) throws -> Configuration {
        try #require(try CommandLineParser.parse(words).configuration)
    }

    static func exits(_ codes: Int32...) -> [FakeLauncher.Step] { codes.map { .ends(.exited($0)) } }

    @Test func aFirstSuccessRunsOnceAndNeverSleeps() throws {
        let run = try run("true", script: Self.exits(0))
        #expect(run.status == .success)
        #expect(run.launcher.requests.count == 1)
        #expect(run.clock.sleeps.isEmpty)
        let first = RunEvent.Attempt(1, of: 5)
        #expect(run.events == [.attemptStarted(first), .succeeded(first, elapsed: .milliseconds(10))])
    }

    @Test func failuresAreRetriedWithTheBackoffsDelays() throws {
        let run = try run("-b", "100ms", "false", script: Self.exits(1, 1, 0), seed: 5)
        #expect(run.status == .success)
        #expect(run.launcher.requests.count == 3)
        var random = SplitMix64(seed: 5)
        let backoff = Backoff(base: .milliseconds(100))
        let first = backoff.delay(after: 1, previous: nil, using: &random)
        let second = backoff.delay(after: 2, previous: first, using: &random)
        #expect(run.clock.sleeps == [first, second])
        #expect(run.events[1] == .attemptFailed(.init(1, of: 5), .exited(1), elapsed: .milliseconds(10), next: first))
        #expect(run.clock.now() == .milliseconds(30) + first + second)
    }

    @Test func decorrelatedFeedsEachDelayIntoTheNext() throws {
        let run = try run("-s", "decorrelated", "-b", "100ms", "-n", "6", "false", script: Self.exits(1, 1, 1, 1, 1, 1), seed: 42)
        let backoff = Backoff(strategy: .decorrelated, base: .milliseconds(100), jitter: .none)
        var random = SplitMix64(seed: 42)
        var previous: Duration?
        let expected = (1...5).map { failures in
            let delay = backoff.delay(after: failures, previous: previous, using: &random)
            previous = delay
            return delay
        }
        #expect(run.clock.sleeps == expected)
    }

    @Test func theLastAttemptIsNotFollowedByASleep() throws {
        let run = try run("-n", "3", "-b", "1s", "-j", "none", "false", script: Self.exits(7, 7, 7))
        #expect(run.status == RetryCore.ExitStatus(rawValue: 7))
        #expect(run.launcher.requests.count == 3)
        #expect(run.clock.sleeps == [.seconds(1), .seconds(2)])
        #expect(run.events.suffix(2) == [
            .attemptFailed(.init(3, of: 3), .exited(7), elapsed: .milliseconds(10), next: nil),
            .gaveUp(.attemptsExhausted, attempts: 3, status: RetryCore.ExitStatus(rawValue: 7)),
        ])
    }

    @Test func oneAttemptMeansNoRetry() throws {
        let run = try run("-n", "1", "false", script: Self.exits(3))
        #expect(run.status == RetryCore.ExitStatus(rawValue: 3))
        #expect(run.launcher.requests.count == 1 && run.clock.sleeps.isEmpty)
    }

    @Test func stopOnEndsTheRunAtOnce() throws {
        let run = try run("--stop-on", "2", "false", script: Self.exits(1, 2))
        #expect(run.status == RetryCore.ExitStatus(rawValue: 2))
        #expect(run.launcher.requests.count == 2)
        #expect(run.events.last == .gaveUp(.notRetryable(.stopOn), attempts: 2, status: RetryCore.ExitStatus(rawValue: 2)))
    }

    @Test func retryOnRetriesOnlyTheListedStatuses() throws {
        let run = try run("-r", "3,5-6", "false", script: Self.exits(3, 6, 4))
        #expect(run.status == RetryCore.ExitStatus(rawValue: 4))
        #expect(run.launcher.requests.count == 3)
        #expect(run.events.last == .gaveUp(.notRetryable(.notInRetryOn), attempts: 3, status: RetryCore.ExitStatus(rawValue: 4)))
    }

    @Test func stopOnWinsOverRetryOn() throws {
        let run = try run("-r", "1-10", "--stop-on", "5", "false", script: Self.exits(5))
        #expect(run.launcher.requests.count == 1)
        #expect(run.status == RetryCore.ExitStatus(rawValue: 5))
    }

    @Test(arguments: [Int32(126), 127])
    func aCommandsOwn126And127AreNotRetriedByDefault(code: Int32) throws {
        let run = try run("sh", script: Self.exits(code))
        #expect(run.launcher.requests.count == 1)
        #expect(run.events.last == .gaveUp(.notRetryable(.cannotRun), attempts: 1, status: RetryCore.ExitStatus(rawValue: code)))
        // Named in --retry-on, they are retried like any other status.
        let listed = try self.run("-r", "\(code)", "sh", script: Self.exits(code, 0))
        #expect(listed.launcher.requests.count == 2)
    }

    @Test(arguments: [LaunchFailure.notFound("nope"), .cannotInvoke("./x", reason: "permission denied")])
    func aCommandThatCannotStartIsNotRetried(failure: LaunchFailure) throws {
        let run = try run("nope", script: [.fails(failure)])
        #expect(run.status == failure.status)
        #expect(run.launcher.requests.count == 1 && run.clock.sleeps.isEmpty)
        #expect(run.events.last == .launchFailed(.init(1, of: 5), failure))
    }

    @Test func aSignalDeathIsRetriedAndReportedAs128PlusN() throws {
        let run = try run("-n", "2", "crash", script: [.ends(.signaled(11)), .ends(.signaled(11))])
        #expect(run.status == RetryCore.ExitStatus(rawValue: 139))
        #expect(run.launcher.requests.count == 2)
    }

    @Test func foreverRunsUntilSuccess() throws {
        let run = try run("--forever", "-b", "0", "false", script: Self.exits(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0))
        #expect(run.status == .success)
        #expect(run.launcher.requests.count == 12)
        #expect(run.clock.sleeps == Array(repeating: .zero, count: 11))
        #expect(run.events.first == .attemptStarted(.init(1, of: nil)))
    }

    @Test func everyAttemptGetsItsNumberTheLimitAndTheSameKey() throws {
        let run = try run("-n", "3", "env", script: Self.exits(1, 1, 0))
        let environments = run.launcher.requests.map(\.environment)
        #expect(environments.map { $0["RETRY_ATTEMPT"] } == ["1", "2", "3"])
        #expect(environments.allSatisfy { $0["RETRY_MAX_ATTEMPTS"] == "3" && $0["RETRY_IDEMPOTENCY_KEY"] == "key-1" })
        #expect(environments.allSatisfy { $0["PATH"] == "/bin" && $0["HOME"] == "/root" })
        #expect(run.launcher.requests.allSatisfy { $0.arguments == ["env"] })
        let forever = try self.run("--forever", "env", script: Self.exits(0))
        #expect(forever.launcher.requests[0].environment["RETRY_MAX_ATTEMPTS"] == "0")
    }
}
