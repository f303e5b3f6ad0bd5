import Testing
@testable import RetryCore

/// `--before-retry`, `--on-give-up` and `--stagger` in the loop, in fake time.
@Suite struct HookTests {
    let runner = RunnerTests()

    static func hook(exits code: Int32 = 0, runsFor duration: Duration = .milliseconds(5)) -> FakeSystem.Step {
        .runs(for: duration, thenExits: code)
    }

    static let hooks = ["--before-retry", "cleanup", "--on-give-up", "notify"]

    @Test func hooksRunInOrderWithTheirEnvironmentOverThreeAttempts() throws {
        let run = try runner.run("-n", "3", "-b", "1s", "-j", "none", "--before-retry", "cleanup", "--on-give-up", "notify", "false",
                                 script: [.exits(7), Self.hook(), .exits(7), Self.hook(), .exits(7), Self.hook()])
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 7)))
        let requests = run.system.requests
        #expect(requests.map(\.arguments) == [["false"], ["/bin/sh", "-c", "cleanup"], ["false"], ["/bin/sh", "-c", "cleanup"],
                                               ["false"], ["/bin/sh", "-c", "notify"]])
        for hook in [requests[1], requests[3], requests[5]] {
            #expect(hook.outputToStandardError && hook.inputFromNull && !hook.watch.isActive)
            #expect(hook.environment["HOME"] == "/root" && hook.environment["RETRY_IDEMPOTENCY_KEY"] == "key-1")
            #expect(hook.environment["RETRY_MAX_ATTEMPTS"] == "3" && hook.environment["RETRY_REASON"] == "exit")
            #expect(hook.environment["RETRY_EXIT_STATUS"] == "7" && hook.environment["RETRY_HTTP_STATUS"] == nil)
        }
        #expect(!requests[0].outputToStandardError && !requests[0].inputFromNull)
        #expect(requests[1].environment["RETRY_ATTEMPT"] == "1" && requests[1].environment["RETRY_NEXT_DELAY_MS"] == "1000")
        #expect(requests[3].environment["RETRY_ATTEMPT"] == "2" && requests[3].environment["RETRY_NEXT_DELAY_MS"] == "2000")
        #expect(requests[5].environment["RETRY_ATTEMPT"] == "3" && requests[5].environment["RETRY_NEXT_DELAY_MS"] == nil)
        // Attempt 1 ends at 10ms, its hook at 15ms; the delay follows the hook.
        #expect(requests[3].environment["RETRY_ELAPSED_MS"] == "1025")
        #expect(requests[5].environment["RETRY_ELAPSED_MS"] == "3040", "10 + 5 + 1000 + 10 + 5 + 2000 + 10")
        #expect(run.system.sleeps == [.seconds(1), .seconds(2)])
        let kinds = run.events.compactMap { event -> String? in
            switch event {
            case .attemptStarted(let attempt): "attempt \(attempt.number)"
            case .hookStarted(let hook, let after): "\(hook.rawValue) after \(after)"
            case .gaveUp: "give up"
            default: nil
            }
        }
        #expect(kinds == ["attempt 1", "before-retry after 1", "attempt 2", "before-retry after 2", "attempt 3", "give up",
                          "on-give-up after 3"])
        #expect(run.events.last == .hookEnded(.onGiveUp, attempt: 3, .finished(.terminated(.exited(0))), elapsed: .milliseconds(5)))
    }

    @Test func noHookRunsAfterASuccess() throws {
        let run = try runner.run(Self.hooks + ["true"], script: [.exits(0)])
        #expect(run.result == .exit(.success))
        #expect(run.attempts == 1)
        #expect(!run.events.contains { if case .hookStarted = $0 { true } else { false } })
    }

    @Test func aFailingHookChangesNothingButTheReport() throws {
        let plain = try runner.run("-n", "3", "-b", "1s", "false", script: [.exits(7), .exits(7), .exits(0)], seed: 9)
        let hooked = try runner.run(["-n", "3", "-b", "1s", "--before-retry", "cleanup", "false"],
                                    script: [.exits(7), Self.hook(exits: 3), .exits(7), Self.hook(exits: 127), .exits(0)], seed: 9)
        #expect(hooked.result == plain.result)
        #expect(hooked.system.sleeps == plain.system.sleeps)
        #expect(hooked.events.filter { if case .attemptFailed = $0 { true } else { false } }
            == plain.events.filter { if case .attemptFailed = $0 { true } else { false } })
        #expect(hooked.events.contains(.hookEnded(.beforeRetry, attempt: 2, .finished(.terminated(.exited(127))), elapsed: .milliseconds(5))))
    }

    @Test func aHookThatCannotStartIsReportedAndTheRunGoesOn() throws {
        let run = try runner.run(["-n", "2", "-b", "0", "--before-retry", "cleanup", "false"],
                                 script: [.exits(1), .fails(.notFound("/bin/sh")), .exits(0)])
        #expect(run.result == .exit(.success))
        #expect(run.events.contains(.hookEnded(.beforeRetry, attempt: 1, .cannotStart(.notFound("/bin/sh")), elapsed: .zero)))
    }

    @Test func aHangingHookIsTornDownAtItsTimeout() throws {
        let hanging = FakeSystem.Step.process(.init(runsFor: .seconds(1000), ignores: [Signal.terminate]))
        let run = try runner.run(["-n", "2", "-b", "0", "--kill-after", "1s", "--hook-timeout", "2s", "--before-retry", "sleep", "false"],
                                 script: [.exits(1), hanging, .exits(0)])
        #expect(run.result == .exit(.success))
        // The hook is pid 102, started at 10ms.
        #expect(run.system.sent[102] == [.init(signal: Signal.terminate, at: .milliseconds(2010)),
                                         .init(signal: Signal.continue, at: .milliseconds(2010)),
                                         .init(signal: Signal.kill, at: .milliseconds(3010))])
        #expect(run.events.contains(.hookEnded(.beforeRetry, attempt: 1, .finished(.timedOut(limit: .seconds(2))), elapsed: .seconds(3))))
    }

    @Test func timeInTheHookCountsAgainstTheBudget() throws {
        // The 5s delay fits at 10ms, not after an 8s hook.
        let run = try runner.run(["--budget", "10s", "-b", "5s", "-j", "none", "--before-retry", "slow", "--on-give-up", "notify", "false"],
                                 script: [.exits(7), Self.hook(runsFor: .seconds(8)), Self.hook()])
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 7)))
        #expect(run.attempts == 3, "the attempt, the hook, the give-up hook")
        #expect(run.events.contains(.gaveUp(.budgetWouldPass(.seconds(10), delay: .seconds(5)), attempts: 1,
                                            status: RetryCore.ExitStatus(rawValue: 7))))
        #expect(run.system.requests[2].environment["RETRY_REASON"] == "budget")
        #expect(run.system.sleeps.isEmpty)
    }

    @Test func aBudgetThatEndsDuringTheHookTearsItDown() throws {
        let run = try runner.run(["--budget", "2s", "-b", "100ms", "--before-retry", "slow", "--on-give-up", "notify", "false"],
                                 script: [.exits(7), RunnerTests.sleepForever, Self.hook()])
        #expect(run.result == .exit(RetryCore.ExitStatus(rawValue: 7)), "the last attempt's status; no attempt was cut")
        #expect(run.system.sent[102]?.first == .init(signal: Signal.terminate, at: .seconds(2)))
        #expect(run.events.contains(.gaveUp(.budgetSpentInHook(.seconds(2)), attempts: 1, status: RetryCore.ExitStatus(rawValue: 7))))
        #expect(run.system.requests[2].environment["RETRY_REASON"] == "budget")
        #expect(run.system.requests[2].environment["RETRY_ELAPSED_MS"] == "2000")
    }

    @Test func aSignalDuringAHookIsForwardedAndEndsTheRunWithoutTheGiveUpHook() throws {
        let run = try runner.run(["-b", "0", "--before-retry", "slow", "--on-give-up", "notify", "false"],
                                 script: [.exits(1), RunnerTests.sleepForever], signals: [(at: .seconds(1), signal: Signal.terminate)])
        #expect(run.result == .signal(Signal.terminate))
        #expect(run.attempts == 2, "no further attempt, no --on-give-up")
        #expect(run.system.sent[102]?.first == .init(signal: Signal.terminate, at: .seconds(1)))
        #expect(run.events.last == .interruptedDuringHook(Signal.terminate, .beforeRetry))
    }

    @Test func aSignalDuringTheGiveUpHookEndsRetryWithIt() throws {
        let run = try runner.run(["-n", "1", "--on-give-up", "notify", "false"],
                                 script: [.exits(1), RunnerTests.sleepForever], signals: [(at: .seconds(1), signal: Signal.interrupt)])
        #expect(run.result == .signal(Signal.interrupt))
        #expect(run.events.last == .interruptedDuringHook(Signal.interrupt, .onGiveUp))
    }

    @Test func aTimedOutAttemptIsReportedAsATimeout() throws {
        let run = try runner.run(["-n", "1", "-t", "1s", "--on-give-up", "notify", "sleep"], script: [RunnerTests.sleepForever, Self.hook()])
        #expect(run.result == .exit(.timedOut))
        #expect(run.system.requests[1].environment["RETRY_REASON"] == "timeout")
        #expect(run.system.requests[1].environment["RETRY_EXIT_STATUS"] == "124")
    }

    @Test func theGiveUpHookHearsOfTheQuotaAndTheBreaker() throws {
        let quota = try runner.run(["--on-give-up", "notify", "false"], script: [.exits(1), Self.hook()], memory: FakeMemory(retriesPaid: 0))
        #expect(quota.system.requests[1].environment["RETRY_REASON"] == "quota")
        let breaker = try runner.run(["--on-give-up", "notify", "false"], script: [Self.hook()],
                                     memory: FakeMemory(admission: .rejected("open")))
        #expect(breaker.result == .exit(.breakerOpen))
        let request = try #require(breaker.system.requests.first)
        #expect(request.arguments == ["/bin/sh", "-c", "notify"])
        #expect(request.environment["RETRY_REASON"] == "breaker" && request.environment["RETRY_ATTEMPT"] == "0")
        #expect(request.environment["RETRY_EXIT_STATUS"] == "75")
    }

    @Test func aCommandThatCannotStartGivesUpWithTheHook() throws {
        let run = try runner.run(["--on-give-up", "notify", "nosuch"], script: [.fails(.notFound("nosuch")), Self.hook()])
        #expect(run.result == .exit(.notFound))
        #expect(run.system.requests[1].environment["RETRY_EXIT_STATUS"] == "127")
    }

    // MARK: stagger

    @Test func theStaggerIsDrawnFirstFromTheSeededGenerator() throws {
        let run = try runner.run("--stagger", "10s", "-b", "1s", "false", script: [.exits(1), .exits(0)], seed: 3)
        var random = SplitMix64(seed: 3)
        var backoff = Backoff()
        backoff.stagger = .seconds(10)
        let stagger = backoff.staggerDelay(using: &random)
        let delay = backoff.delay(after: 1, previous: nil, using: &random)
        #expect(stagger > .zero && stagger < .seconds(10))
        #expect(run.system.sleeps == [stagger, delay])
        #expect(run.events.first == .stagger(stagger))
        var configuration = try parsedConfiguration("--stagger", "10s", "--seed", "3", "false")
        configuration.limits.maxAttempts = 2
        #expect(Schedule(configuration).rows.map(\.delay) == [stagger...stagger, delay...delay])
    }

    @Test func aCommandThatCannotStartIsNotWaitedFor() throws {
        let run = try runner.run("--stagger", "10s", "-n", "1", "no-such-cmd", script: [.fails(.notFound("no-such-cmd"))], seed: 3)
        #expect(run.system.sleeps == [])
        #expect(run.result == .exit(ExitStatus(rawValue: 127)))
        #expect(!run.events.contains { if case .stagger = $0 { true } else { false } })
    }

    @Test func noStaggerDrawsNothing() throws {
        var random = SplitMix64(seed: 3)
        var copy = random
        #expect(Backoff().staggerDelay(using: &random) == .zero)
        #expect(random.next() == copy.next())
    }

    @Test func aSignalDuringTheStaggerEndsTheRunBeforeAnyAttempt() throws {
        let run = try runner.run(["--stagger", "1h", "true"], script: [], signals: [(at: .seconds(1), signal: Signal.terminate)])
        #expect(run.result == .signal(Signal.terminate))
        #expect(run.attempts == 0)
        #expect(run.events.last == .interrupted(Signal.terminate, duringAttempt: false))
    }

    @Test func theStaggerComesBeforeTheBreakerAndTheBudget() throws {
        let memory = FakeMemory(admission: .rejected("open"))
        let refused = try runner.run(["--stagger", "10s", "true"], script: [], memory: memory)
        #expect(refused.system.sleeps.count == 1 && refused.events.last == .breakerOpen("open"))
        let run = try runner.run(["--stagger", "10s", "--budget", "1s", "true"], script: [.runs(for: .milliseconds(900))])
        #expect(run.result == .exit(.success), "the budget starts with the first attempt")
    }
}
