import Testing
@testable import RetryCore

@Suite struct RunnerTests {
    struct Run {
        let result: RunResult
        let events: [RunEvent]
        let system: FakeSystem

        var status: RetryCore.ExitStatus { result.status }
        var attempts: Int { system.requests.count }
        /// The signals sent to the group of the `n`-th attempt (1-based).
        func signals(ofAttempt n: Int) -> [FakeSystem.SentSignal] { system.sent[Int32(100 + n)] ?? [] }
    }

    func run(_ words: String..., script: [FakeSystem.Step], signals: [(at: Duration, signal: Int32)] = [],
             seed: UInt64 = 1, memory: FakeMemory? = nil) throws -> Run {
        try run(words, script: script, signals: signals, seed: seed, memory: memory)
    }

    func run(_ words: [String], script: [FakeSystem.Step], signals: [(at: Duration, signal: Int32)] = [],
             seed: UInt64 = 1, memory: FakeMemory? = nil) throws -> Run {
        let system = FakeSystem(script, signals: signals)
        var events: [RunEvent] = []
        let runner = Runner(configuration: try parsedConfiguration(words), environment: ["PATH": "/bin", "HOME": "/root"],
                            idempotencyKey: "key-1", launcher: system, events: system, clock: system,
                            memory: memory, wall: system, report: { events.append($0) })
        var random = SplitMix64(seed: seed)
        let result = runner.run(random: &random)
        return Run(result: result, events: events, system: system)
    }

    static func exits(_ codes: Int32...) -> [FakeSystem.Step] { codes.map { .exits($0) } }
    static let sleepForever = FakeSystem.Step.runs(for: .seconds(1_000_000))

    // MARK: attempts, delays and decisions

    @Test func aFirstSuccessRunsOnceAndNeverSleeps() throws {
        let run = try run("true", script: Self.exits(0))
        #expect(run.result == .exit(.success))
        #expect(run.attempts == 1 && run.system.sleeps.isEmpty)
        let first = RunEvent.Attempt(1, of: 5)
        #expect(run.events == [.attemptStarted(first), .succeeded(first, elapsed: .milliseconds(10))])
        #expect(run.system.released == [101])
    }

    @Test func failuresAreRetriedWithTheBackoffsDelays() throws {
        let run = try run("-b", "100ms", "false", script: Self.exits(1, 1, 0), seed: 5)
        #expect(run.result == .exit(.success))
        #expect(run.attempts == 3)
        var random = SplitMix64(seed: 5)
        let backoff = Backoff(base: .milliseconds(100))
        let first = backoff.delay(after: 1, previous: nil, using: &random)
        let second = backoff.delay(after: 2, previous: first, using: &random)
        #expect(run.system.sleeps == [first, second])
        #expect(run.events[1] == .attemptFailed(.init(1, of: 5), .terminated(.exited(1)), elapsed: .milliseconds(10), next: first))
        #expect(run.system.now() == .milliseconds(30) + first + second)
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
        #expect(run.system.sleeps == expected)
    }

    @Test func theLastAttemptIsNotFollowedByASleep() throws {
        let run = try run("-n", "3", "-b", "1s", "-j", "none", "false", script: Self.exits(7, 7, 7))
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 7)))
        #expect(run.attempts == 3)
        #expect(run.system.sleeps == [.seconds(1), .seconds(2)])
        #expect(run.events.suffix(2) == [
            .attemptFailed(.init(3, of: 3), .terminated(.exited(7)), elapsed: .milliseconds(10), next: nil),
            .gaveUp(.attemptsExhausted, attempts: 3, status: RetryCore.ExitStatus(rawValue: 7)),
        ])
    }

    @Test func oneAttemptMeansNoRetry() throws {
        let run = try run("-n", "1", "false", script: Self.exits(3))
        #expect(run.status == RetryCore.ExitStatus(rawValue: 3))
        #expect(run.attempts == 1 && run.system.sleeps.isEmpty)
    }

    @Test func stopOnEndsTheRunAtOnce() throws {
        let run = try run("--stop-on", "2", "false", script: Self.exits(1, 2))
        #expect(run.status == RetryCore.ExitStatus(rawValue: 2))
        #expect(run.attempts == 2)
        #expect(run.events.last == .gaveUp(.notRetryable(.stopOn), attempts: 2, status: RetryCore.ExitStatus(rawValue: 2)))
    }

    @Test func retryOnRetriesOnlyTheListedStatuses() throws {
        let run = try run("-r", "3,5-6", "false", script: Self.exits(3, 6, 4))
        #expect(run.status == RetryCore.ExitStatus(rawValue: 4))
        #expect(run.attempts == 3)
        #expect(run.events.last == .gaveUp(.notRetryable(.notInRetryOn), attempts: 3, status: RetryCore.ExitStatus(rawValue: 4)))
    }

    @Test func stopOnWinsOverRetryOn() throws {
        let run = try run("-r", "1-10", "--stop-on", "5", "false", script: Self.exits(5))
        #expect(run.attempts == 1)
        #expect(run.status == RetryCore.ExitStatus(rawValue: 5))
    }

    @Test(arguments: [Int32(126), 127])
    func aCommandsOwn126And127AreNotRetriedByDefault(code: Int32) throws {
        let run = try run("sh", script: Self.exits(code))
        #expect(run.attempts == 1)
        #expect(run.events.last == .gaveUp(.notRetryable(.cannotRun), attempts: 1, status: RetryCore.ExitStatus(rawValue: code)))
        // Named in --retry-on, they are retried like any other status.
        let listed = try self.run("-r", "\(code)", "sh", script: Self.exits(code, 0))
        #expect(listed.attempts == 2)
    }

    @Test(arguments: [LaunchFailure.notFound("nope"), .cannotInvoke("./x", reason: "permission denied")])
    func aCommandThatCannotStartIsNotRetried(failure: LaunchFailure) throws {
        let run = try run("nope", script: [.fails(failure)])
        #expect(run.result == .exit(failure.status))
        #expect(run.attempts == 1 && run.system.sleeps.isEmpty)
        #expect(run.events.last == .launchFailed(.init(1, of: 5), failure))
    }

    @Test func aSignalDeathIsRetriedAndReportedAs128PlusN() throws {
        let crash = FakeSystem.Step.process(.init(exits: .signaled(11)))
        let run = try run("-n", "2", "crash", script: [crash, crash])
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 139)))
        #expect(run.attempts == 2)
    }

    @Test func foreverRunsUntilSuccess() throws {
        let run = try run("--forever", "-b", "0", "false", script: Self.exits(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0))
        #expect(run.result == .exit(.success))
        #expect(run.attempts == 12)
        #expect(run.system.sleeps == Array(repeating: .zero, count: 11))
        #expect(run.events.first == .attemptStarted(.init(1, of: nil)))
    }

    @Test func everyAttemptGetsItsNumberTheLimitAndTheSameKey() throws {
        let run = try run("-n", "3", "env", script: Self.exits(1, 1, 0))
        let environments = run.system.requests.map(\.environment)
        #expect(environments.map { $0["RETRY_ATTEMPT"] } == ["1", "2", "3"])
        #expect(environments.allSatisfy { $0["RETRY_MAX_ATTEMPTS"] == "3" && $0["RETRY_IDEMPOTENCY_KEY"] == "key-1" })
        #expect(environments.allSatisfy { $0["PATH"] == "/bin" && $0["HOME"] == "/root" })
        #expect(run.system.requests.allSatisfy { $0.arguments == ["env"] })
        let forever = try self.run("--forever", "env", script: Self.exits(0))
        #expect(forever.system.requests[0].environment["RETRY_MAX_ATTEMPTS"] == "0")
    }

    // MARK: timeouts and teardown

    @Test func aTimedOutAttemptIsTornDownAndRetried() throws {
        let run = try run("-n", "3", "-t", "200ms", "-b", "0", "sleep", script: [Self.sleepForever, Self.sleepForever, .exits(0)])
        #expect(run.result == .exit(.success))
        #expect(run.signals(ofAttempt: 1) == [.init(signal: Signal.terminate, at: .milliseconds(200)), .init(signal: Signal.continue, at: .milliseconds(200))])
        #expect(run.events[1] == .attemptFailed(.init(1, of: 3), .timedOut(limit: .milliseconds(200)), elapsed: .milliseconds(200), next: .zero))
    }

    @Test func theLastTimedOutAttemptExits124() throws {
        let run = try run("-n", "2", "-t", "1s", "-b", "0", "sleep", script: [Self.sleepForever, Self.sleepForever])
        #expect(run.result == .exit(.timedOut))
        #expect(run.events.last == .gaveUp(.attemptsExhausted, attempts: 2, status: .timedOut))
    }

    /// Timeouts are retried whatever the status lists say; they speak of the
    /// command's own statuses.
    @Test func aTimeoutIsRetriedEvenOutsideRetryOn() throws {
        let run = try run("-n", "2", "-t", "1s", "-r", "3", "--stop-on", "124", "sleep", script: [Self.sleepForever, .exits(0)])
        #expect(run.attempts == 2 && run.result == .exit(.success))
    }

    @Test func aCommandThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() throws {
        let stubborn = FakeSystem.Step.process(.init(runsFor: .seconds(1000), ignores: [Signal.terminate]))
        let run = try run("-n", "1", "-t", "200ms", "--kill-after", "300ms", "sh", script: [stubborn])
        #expect(run.result == .exit(.timedOut))
        #expect(run.signals(ofAttempt: 1) == [.init(signal: Signal.terminate, at: .milliseconds(200)), .init(signal: Signal.continue, at: .milliseconds(200)), .init(signal: Signal.kill, at: .milliseconds(500))])
    }

    @Test func aGrandchildLeftAfterTheCommandEndsGetsTheRestOfTheGraceThenSIGKILL() throws {
        let parent = FakeSystem.Step.process(.init(runsFor: .seconds(1000), leavesStraggler: true))
        let run = try run("-n", "1", "-t", "1s", "--kill-after", "2s", "sh", script: [parent])
        #expect(run.result == .exit(.timedOut))
        #expect(run.signals(ofAttempt: 1) == [.init(signal: Signal.terminate, at: .seconds(1)), .init(signal: Signal.continue, at: .seconds(1)), .init(signal: Signal.kill, at: .seconds(3))])
        #expect(!run.system.groupIsAlive(101))
    }

    @Test func aSignalWhileStragglersAreClearedStillEndsTheRun() throws {
        let parent = FakeSystem.Step.process(.init(runsFor: .seconds(1000), leavesStraggler: true))
        let run = try run("-n", "3", "-t", "1s", "--kill-after", "2s", "sh", script: [parent, parent],
                          signals: [(at: .milliseconds(1500), signal: Signal.terminate)])
        #expect(run.result == .signal(Signal.terminate))
        #expect(run.attempts == 1)
    }

    @Test func anAttemptThatEndsInTimeIsNotSignalled() throws {
        let run = try run("-t", "1s", "true", script: [.runs(for: .milliseconds(999))])
        #expect(run.result == .exit(.success))
        #expect(run.signals(ofAttempt: 1).isEmpty)
    }

    @Test func aZeroTimeoutMeansNone() throws {
        let configuration = try parsedConfiguration("-t", "0", "--budget", "0s", "true")
        #expect(configuration.limits.timeout == nil && configuration.limits.budget == nil)
        let run = try run("-t", "0", "true", script: [.runs(for: .seconds(100_000))])
        #expect(run.result == .exit(.success))
    }

    @Test func everyLaunchCarriesTheKillAfterForTheGuard() throws {
        // The guard that ends a group when retry dies gives it --kill-after too.
        let run = try run("-n", "2", "-b", "0", "--kill-after", "750ms", "--before-retry", "true", "sh",
                          script: [.exits(1), .exits(0), .exits(0)])
        #expect(run.system.requests.count == 3)
        #expect(run.system.requests.allSatisfy { $0.killAfter == .milliseconds(750) })
    }

    // MARK: the budget

    @Test func aDelayThatWouldPassTheBudgetIsNotSlept() throws {
        let run = try run("--budget", "1s", "-b", "400ms", "-j", "none", "false", script: Self.exits(3, 3))
        // 10ms + 400ms sleep + 10ms; the next 800ms would end past 1s.
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 3)))
        #expect(run.system.sleeps == [.milliseconds(400)])
        #expect(run.events.last == .gaveUp(.budgetWouldPass(.seconds(1), delay: .milliseconds(800)), attempts: 2,
                                           status: RetryCore.ExitStatus(rawValue: 3)))
    }

    @Test func anAttemptRunningWhenTheBudgetEndsIsTornDownWith124() throws {
        let run = try run("--budget", "1s", "-b", "0", "sleep", script: [.exits(1), Self.sleepForever])
        #expect(run.result == .exit(.timedOut))
        #expect(run.signals(ofAttempt: 2) == [.init(signal: Signal.terminate, at: .seconds(1)), .init(signal: Signal.continue, at: .seconds(1))])
        #expect(run.events.suffix(2) == [.attemptStarted(.init(2, of: 5)), .gaveUp(.budgetSpent(.seconds(1)), attempts: 2, status: .timedOut)])
        #expect(run.attempts == 2)
    }

    @Test func theEarlierOfTimeoutAndBudgetEndsTheAttempt() throws {
        let run = try run("--budget", "10s", "-t", "3s", "-b", "0", "sleep", script: Array(repeating: Self.sleepForever, count: 4))
        // Attempts end at 3s, 6s and 9s by timeout; the fourth is cut by the budget at 10s.
        #expect(run.attempts == 4)
        #expect(run.signals(ofAttempt: 3) == [.init(signal: Signal.terminate, at: .seconds(9)), .init(signal: Signal.continue, at: .seconds(9))])
        #expect(run.signals(ofAttempt: 4) == [.init(signal: Signal.terminate, at: .seconds(10)), .init(signal: Signal.continue, at: .seconds(10))])
        #expect(run.result == .exit(.timedOut))
    }

    // MARK: signals to retry

    @Test(arguments: [Signal.terminate, Signal.interrupt, Signal.hangup, Signal.quit])
    func aSignalDuringAnAttemptIsForwardedAndEndsTheRun(signal: Int32) throws {
        let run = try run("-n", "5", "sleep", script: [Self.sleepForever], signals: [(at: .milliseconds(300), signal: signal)])
        #expect(run.result == .signal(signal))
        #expect(run.result.status == .killed(by: signal))
        #expect(run.attempts == 1)
        #expect(run.signals(ofAttempt: 1).first == .init(signal: signal, at: .milliseconds(300)))
        #expect(run.events.last == .interrupted(signal, duringAttempt: true))
    }

    @Test func retryWaitsForACommandThatHandlesTheSignalSlowly() throws {
        let slow = FakeSystem.Step.process(.init(runsFor: .seconds(2), exits: .exited(0), ignores: [Signal.terminate]))
        let run = try run("sh", script: [slow], signals: [(at: .milliseconds(500), signal: Signal.terminate)])
        #expect(run.result == .signal(Signal.terminate))
        #expect(run.system.now() == .seconds(2))
    }

    @Test func aSignalDuringTheWaitEndsTheRunAtOnce() throws {
        let run = try run("-b", "10s", "-j", "none", "false", script: Self.exits(1), signals: [(at: .seconds(2), signal: Signal.interrupt)])
        #expect(run.result == .signal(Signal.interrupt))
        #expect(run.attempts == 1)
        #expect(run.system.now() == .seconds(2))
        #expect(run.events.last == .interrupted(Signal.interrupt, duringAttempt: false))
    }

    @Test func aCommandThatIgnoresTheForwardedSignalIsKilledAfterTheGrace() throws {
        let stubborn = FakeSystem.Step.process(.init(runsFor: .seconds(1000), ignores: [Signal.terminate]))
        let run = try run("--kill-after", "1s", "sh", script: [stubborn], signals: [(at: .seconds(2), signal: Signal.terminate)])
        #expect(run.result == .signal(Signal.terminate))
        #expect(run.signals(ofAttempt: 1) == [.init(signal: Signal.terminate, at: .seconds(2)), .init(signal: Signal.continue, at: .seconds(2)), .init(signal: Signal.kill, at: .seconds(3))])
    }

    @Test func whatACtrlCLeavesOfTheGroupIsTornDown() throws {
        let interrupted = FakeSystem.Step.process(.init(exits: .signaled(Signal.interrupt), leavesStraggler: true, ownsTerminal: true))
        let run = try run("--kill-after", "1s", "sh", script: [interrupted])
        #expect(run.result == .signal(Signal.interrupt))
        #expect(run.signals(ofAttempt: 1) == [.init(signal: Signal.terminate, at: .milliseconds(10)), .init(signal: Signal.continue, at: .milliseconds(10)), .init(signal: Signal.kill, at: .milliseconds(1010))])
    }

    @Test func aHangupOfTheTerminalStopsTheRun() throws {
        let hungUp = FakeSystem.Step.process(.init(exits: .signaled(Signal.hangup), ownsTerminal: true))
        let run = try run("ssh", script: [hungUp, hungUp])
        #expect(run.result == .signal(Signal.hangup))
        #expect(run.attempts == 1)
    }

    @Test func aCtrlCTheCommandCaughtAndExited130ForStopsTheRunAtTheTerminal() throws {
        let trapped = FakeSystem.Step.process(.init(exits: .exited(130), leavesStraggler: true, ownsTerminal: true))
        let run = try run("--kill-after", "1s", "sh", script: [trapped, trapped])
        #expect(run.result == .signal(Signal.interrupt))
        #expect(run.attempts == 1)
        #expect(run.events.last == .interrupted(Signal.interrupt, duringAttempt: true))
        #expect(run.signals(ofAttempt: 1).first == .init(signal: Signal.terminate, at: .milliseconds(10)), "the rest of the group goes")
        // Without the terminal, 130 is a status like any other.
        let elsewhere = FakeSystem.Step.process(.init(exits: .exited(130)))
        let retried = try self.run("-n", "2", "-b", "0", "sh", script: [elsewhere, elsewhere])
        #expect(retried.attempts == 2 && retried.result == .exit(RetryCore.ExitStatus(rawValue: 130)))
    }

    @Test func aCtrlCThatReachedOnlyTheCommandAtTheTerminalStopsTheRun() throws {
        let interrupted = FakeSystem.Step.process(.init(exits: .signaled(Signal.interrupt), ownsTerminal: true))
        let run = try run("ssh", script: [interrupted])
        #expect(run.result == .signal(Signal.interrupt))
        #expect(run.attempts == 1)
        // Without the terminal, a death by Signal.interrupt is an ordinary failure.
        let elsewhere = FakeSystem.Step.process(.init(exits: .signaled(Signal.interrupt)))
        let retried = try self.run("-n", "2", "-b", "0", "ssh", script: [elsewhere, elsewhere])
        #expect(retried.attempts == 2 && retried.result == .exit(.killed(by: Signal.interrupt)))
    }

    // MARK: breaker and quota

    @Test func anOpenBreakerRunsNothingAndExits75() throws {
        let memory = FakeMemory(admission: .rejected("the circuit breaker in b is open"))
        let run = try run("-v", "true", script: [], memory: memory)
        #expect(run.result == .exit(.breakerOpen))
        #expect(run.attempts == 0)
        #expect(run.events == [.memoryState(["fake state"]), .breakerOpen("the circuit breaker in b is open")])
        let quiet = try self.run("true", script: [], memory: memory)
        #expect(quiet.events == [.breakerOpen("the circuit breaker in b is open")], "the state is read for --verbose only")
        #expect(memory.finished == nil, "a refused run is not recorded")
    }

    @Test func anEmptyQuotaStopsRetries() throws {
        let memory = FakeMemory(retriesPaid: 1)
        let run = try run("-b", "0", "false", script: Self.exits(1, 1, 1), memory: memory)
        #expect(run.attempts == 2)
        #expect(memory.payments == [false, false], "the first attempt never pays")
        #expect(run.events.last == .gaveUp(.quotaEmpty, attempts: 2, status: RetryCore.ExitStatus(rawValue: 1)))
        #expect(memory.finished?.verdict == .failed)
    }

    @Test func theQuotaLearnsWhatTheLastRetryCost() throws {
        let memory = FakeMemory()
        let run = try run("-b", "0", "-t", "1s", "sh", script: [.exits(1), Self.sleepForever, .exits(0)], memory: memory)
        #expect(run.result == .exit(.success))
        #expect(memory.payments == [false, true])
        #expect(memory.finished?.verdict == .succeeded && memory.finished?.lastRetryCost == 10)
        let first = FakeMemory()
        _ = try self.run("true", script: Self.exits(0), memory: first)
        #expect(first.finished?.verdict == .succeeded && first.finished?.lastRetryCost == nil)
    }

    @Test func anInterruptedRunIsRecordedAsSuch() throws {
        let memory = FakeMemory()
        _ = try run("sleep", script: [Self.sleepForever], signals: [(at: .seconds(1), signal: Signal.terminate)], memory: memory)
        #expect(memory.finished?.verdict == .inconclusive)
    }

    @Test func aCommandThatCannotStartSaysNothingAboutTheService() throws {
        let memory = FakeMemory()
        let run = try run("nope", script: [.fails(.notFound("nope"))], memory: memory)
        #expect(run.result == .exit(.notFound))
        #expect(memory.finished?.verdict == .inconclusive)
    }

    // MARK: a Retry-After shared through the breaker

    @Test func aSharedRetryAfterPastTheBudgetExits75WithoutRunning() throws {
        let memory = FakeMemory()
        memory.shared = SharedWait(delay: .seconds(20), until: FakeSystem.epoch + 20, store: "b")
        let run = try run("--budget", "10s", "true", script: [], memory: memory)
        #expect(run.result == .exit(.breakerOpen))
        #expect(run.attempts == 0 && run.system.sleeps.isEmpty)
        #expect(run.events == [.breakerOpen(SharedStateWording.sharedWaitPastBudget(memory.shared!, budget: .seconds(10)))])
        #expect(memory.finished?.verdict == .inconclusive, "an admitted trial is freed")
    }

    @Test func aSharedRetryAfterWithinTheBudgetIsWaitedFor() throws {
        let memory = FakeMemory()
        memory.shared = SharedWait(delay: .seconds(4), until: FakeSystem.epoch + 4, store: "b")
        let run = try run("-v", "--budget", "10s", "true", script: Self.exits(0), memory: memory)
        #expect(run.result == .exit(.success))
        // The shared moment, plus a spread below as long again.
        let slept = try #require(run.system.sleeps.first)
        #expect(run.system.sleeps.count == 1 && slept > .seconds(4) && slept < .seconds(8))
        #expect(run.events.contains(.note(SharedStateWording.sharedWait(memory.shared!, waiting: slept))))
    }

    @Test func theSharedWaitCountsAgainstTheBudget() throws {
        let memory = FakeMemory()
        memory.shared = SharedWait(delay: .seconds(8), until: FakeSystem.epoch + 8, store: "b")
        // 8s shared wait, then a 10ms attempt; its 1s backoff would fit in the 10s budget, the shared 8s would not.
        let run = try run("-b", "1s", "-j", "none", "--budget", "10s", "false", script: Self.exits(1, 0), memory: memory)
        // (The first wait, 8 s plus its spread, may leave too little even
        // for the 1 s backoff: either way the budget ends the run.)
        #expect(run.attempts == 1)
        guard case .gaveUp(.budgetWouldPass(.seconds(10), _), attempts: 1, status: RetryCore.ExitStatus(rawValue: 1)) = run.events.last else {
            Issue.record("\(run.events)")
            return
        }
    }

    @Test func aRetryWaitsForALongerSharedRetryAfter() throws {
        let memory = FakeMemory()
        memory.shared = SharedWait(delay: .seconds(6), until: FakeSystem.epoch + 6, store: "b")
        // The fake still holds attempts back after the first wait: the retry waits it, not its 1s backoff.
        let run = try run("-b", "1s", "-j", "none", "false", script: Self.exits(1, 0), memory: memory)
        #expect(run.system.sleeps.count == 2 && run.system.sleeps.allSatisfy { $0 >= .seconds(6) && $0 < .seconds(12) })
        #expect(run.system.sleeps[0] != run.system.sleeps[1], "each wait draws its own spread")
    }

    @Test func aRunEndingOnA429IsNoFailureForTheBreakerButA503Is() throws {
        let throttled = FakeMemory()
        _ = try run("--http", "-n", "2", "-b", "0", "curl", script: [Self.answers(503), Self.answers(429)], memory: throttled)
        #expect(throttled.finished?.verdict == .inconclusive)
        let unavailable = FakeMemory()
        _ = try run("--http", "-n", "2", "-b", "0", "curl", script: [Self.answers(429), Self.answers(503)], memory: unavailable)
        #expect(unavailable.finished?.verdict == .failed)
    }

    @Test func aResponsesRetryAfterIsSharedWhetherOrNotTheRunRetries() throws {
        let memory = FakeMemory()
        _ = try run("--http", "-n", "1", "curl", script: [Self.answers(429, retryAfter: "30")], memory: memory)
        #expect(memory.sharedRetryAfters == [.seconds(30)])
        let capped = FakeMemory()
        _ = try run("--http", "--max-retry-after", "5s", "-b", "0", "curl", script: [Self.answers(503, retryAfter: "30"), Self.answers(200)], memory: capped)
        #expect(capped.sharedRetryAfters == [.seconds(5)])
        let without = FakeMemory()
        _ = try run("-n", "1", "curl", script: [Self.answers(429, retryAfter: "30")], memory: without)
        #expect(without.sharedRetryAfters.isEmpty, "only --http reads responses")
    }

    // MARK: what the output says

    static func answers(_ code: Int, exit: Int32 = 0, retryAfter: String? = nil) -> FakeSystem.Step {
        .process(.init(exits: .exited(exit), output: OutputReport(httpStatus: code, retryAfter: retryAfter)))
    }

    @Test func httpWithNoResponseInTheOutputSaysSoOncePerRun() throws {
        let failed = try run("--http", "-b", "0", "-n", "3", "curl", script: Self.exits(7, 0))
        let advice = failed.events.filter { if case .advice = $0 { true } else { false } }
        #expect(advice == [.advice("--http: attempt 1/3 printed no HTTP response, so its exit status 7 decided; "
                                   + "have curl print the headers with -i, -D - or -D /dev/stderr")])
        let answered = try run("--http", "-b", "0", "curl", script: [Self.answers(503), Self.answers(200)])
        #expect(!answered.events.contains { if case .advice = $0 { true } else { false } })
        let timedOut = try run("--http", "-t", "1s", "-n", "1", "curl", script: [Self.sleepForever])
        #expect(!timedOut.events.contains { if case .advice = $0 { true } else { false } }, "a hung attempt says nothing of the headers")
    }

    @Test func aTransientHTTPStatusIsRetriedEvenWithStatus0() throws {
        let run = try run("--http", "-b", "0", "curl", script: [Self.answers(503), Self.answers(503), Self.answers(200)])
        #expect(run.result == .exit(.success))
        #expect(run.attempts == 3)
        #expect(run.events[1] == .attemptFailed(.init(1, of: 5), .flagged(.exited(0), .http(503)), elapsed: .milliseconds(10), next: .zero))
    }

    @Test func aPermanentHTTPStatusIsNotRetriedAndNeverExits0() throws {
        let run = try run("--http", "curl", script: [Self.answers(404)])
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 1)))
        #expect(run.events.last == .gaveUp(.notRetryable(.httpStatus(404)), attempts: 1, status: RetryCore.ExitStatus(rawValue: 1)))
        let failed = try self.run("--http", "curl", script: [Self.answers(404, exit: 22)])
        #expect(failed.result == .exit(RetryCore.ExitStatus(rawValue: 22)), "a non-zero status passes through")
    }

    @Test func givingUpOnATransientHTTPStatusExits1() throws {
        let run = try run("--http", "-n", "2", "-b", "0", "curl", script: [Self.answers(503), Self.answers(429)])
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 1)))
    }

    @Test func withoutAResponseTheExitStatusDecides() throws {
        let run = try run("--http", "-b", "0", "curl", script: [.exits(7), .exits(0)])
        #expect(run.attempts == 2 && run.result == .exit(.success))
    }

    @Test func retryOnHTTPChoosesTheTransientStatuses() throws {
        let run = try run("--http", "--retry-on-http", "5xx", "-b", "0", "curl", script: [Self.answers(500), Self.answers(429)])
        #expect(run.attempts == 2)
        #expect(run.events.last == .gaveUp(.notRetryable(.httpStatus(429)), attempts: 2, status: RetryCore.ExitStatus(rawValue: 1)))
    }

    @Test func retryAfterReplacesTheComputedDelay() throws {
        let run = try run("--http", "-b", "0", "curl", script: [Self.answers(503, retryAfter: "3"), Self.answers(200)])
        // At least the 3 s asked, plus a spread below 3 s more; the sleep
        // and both events agree on it and say it came from Retry-After.
        let slept = try #require(run.system.sleeps.first)
        #expect(run.system.sleeps.count == 1 && slept >= .seconds(3) && slept < .seconds(6))
        #expect(run.events.contains(.retryAfter(asked: .seconds(3), waiting: slept)))
        #expect(run.events.contains(.attemptFailed(.init(1, of: 5), .flagged(.exited(0), .http(503)), elapsed: .milliseconds(10),
                                                   next: slept, because: .retryAfter)))
    }

    @Test func anHTTPDateRetryAfterIsMeasuredFromNow() throws {
        // The fake wall clock reads epoch + 10ms when the first attempt ends.
        let date = "Tue, 24 Nov 2026 03:05:00 GMT"
        let expected = try #require(RetryAfter.delay(date, now: FakeSystem.epoch + 0.01))
        let run = try run("--http", "-b", "0", "curl", script: [Self.answers(429, retryAfter: date), Self.answers(200)])
        let slept = try #require(run.system.sleeps.first)
        #expect(run.system.sleeps.count == 1 && slept >= expected && slept < expected * 2)
    }

    @Test func retryAfterIsCappedByMaxRetryAfter() throws {
        let run = try run("--http", "--max-retry-after", "2s", "-b", "0", "curl", script: [Self.answers(503, retryAfter: "3600"), Self.answers(200)])
        #expect(run.system.sleeps == [.seconds(2)])
    }

    @Test func aRetryAfterPastTheBudgetGivesUpAtOnce() throws {
        let run = try run("--http", "--budget", "10s", "-b", "0", "curl", script: [Self.answers(503, retryAfter: "60")])
        #expect(run.system.sleeps.isEmpty)
        #expect(run.events.last == .gaveUp(.retryAfterPastBudget(.seconds(10), asked: .seconds(60)), attempts: 1, status: RetryCore.ExitStatus(rawValue: 1)))
    }

    @Test func aMalformedRetryAfterIsIgnoredWithANote() throws {
        let run = try run("--http", "-b", "1s", "-j", "none", "curl", script: [Self.answers(503, retryAfter: "soon"), Self.answers(200)])
        #expect(run.system.sleeps == [.seconds(1)])
        #expect(run.events.contains(.note("ignoring the malformed Retry-After 'soon'")))
    }

    @Test func outputPatternsOverrideTheStatus() throws {
        let matched = FakeSystem.Step.process(.init(exits: .exited(0), output: OutputReport(retryPatternMatched: true)))
        let retried = try run("--retry-if-output", "x", "-b", "0", "-n", "2", "sh", script: [matched, matched])
        #expect(retried.attempts == 2 && retried.result == .exit(RetryCore.ExitStatus(rawValue: 1)))
        let stop = FakeSystem.Step.process(.init(exits: .exited(3), output: OutputReport(stopPatternMatched: true)))
        let stopped = try run("--stop-if-output", "fatal", "sh", script: [stop])
        #expect(stopped.attempts == 1 && stopped.result == .exit(RetryCore.ExitStatus(rawValue: 3)))
        #expect(stopped.events.last == .gaveUp(.notRetryable(.stopIfOutput), attempts: 1, status: RetryCore.ExitStatus(rawValue: 3)))
    }

    @Test func aRetryIfOutputMatchRetriesEvenAStopOnStatus() throws {
        let locked = FakeSystem.Step.process(.init(exits: .exited(100), output: OutputReport(retryPatternMatched: true)))
        let retried = try run("--stop-on", "1-255", "--retry-if-output", "Could not get lock", "-b", "0", "apt-get",
                              script: [locked, .exits(0)])
        #expect(retried.attempts == 2 && retried.result == .exit(.success))
        // Without the match, the same status is in --stop-on: no retry.
        let other = try run("--stop-on", "1-255", "--retry-if-output", "Could not get lock", "-b", "0", "apt-get",
                            script: Self.exits(100))
        #expect(other.attempts == 1)
        #expect(other.events.last == .gaveUp(.notRetryable(.stopOn), attempts: 1, status: RetryCore.ExitStatus(rawValue: 100)))
        // 126 and 127 from a shell too.
        let notFound = FakeSystem.Step.process(.init(exits: .exited(127), output: OutputReport(retryPatternMatched: true)))
        let again = try run("--retry-if-output", "x", "-b", "0", "-n", "2", "sh", script: [notFound, notFound])
        #expect(again.attempts == 2)
    }

    @Test func heldOutputIsPublishedOnlyOnSuccess() throws {
        let failed = try run("--hold-output", "-n", "2", "-b", "0", "sh", script: Self.exits(1, 1))
        #expect(failed.system.published == 0)
        let succeeded = try run("--hold-output", "-b", "0", "sh", script: Self.exits(1, 0))
        #expect(succeeded.system.published == 1)
    }
}
