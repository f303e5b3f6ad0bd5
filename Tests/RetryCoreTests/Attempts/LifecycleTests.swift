import Testing
@testable import RetryCore

/// The command's life as GNU timeout would handle it: SIGCONT after every
/// signal, and a teardown that ends in bounded time whatever is left.
extension RunnerTests {
    @Test func aStoppedCommandIsContinuedSoItSeesTheTimeoutsSIGTERM() throws {
        let stopped = FakeSystem.Step.process(.init(runsFor: .seconds(1000), startsStopped: true))
        let run = try run("-n", "1", "-t", "200ms", "--kill-after", "5s", "sh", script: [stopped])
        #expect(run.result == .exit(.timedOut))
        #expect(run.signals(ofAttempt: 1) == [.init(signal: Signal.terminate, at: .milliseconds(200)),
                                              .init(signal: Signal.continue, at: .milliseconds(200))],
                "it dies of SIGTERM at once, not of SIGKILL 5s later")
    }

    @Test func aStoppedCommandIsContinuedSoItSeesAForwardedSignal() throws {
        let stopped = FakeSystem.Step.process(.init(runsFor: .seconds(1000), startsStopped: true))
        let run = try run("--kill-after", "5s", "sh", script: [stopped], signals: [(at: .milliseconds(300), signal: Signal.interrupt)])
        #expect(run.result == .signal(Signal.interrupt))
        #expect(run.signals(ofAttempt: 1) == [.init(signal: Signal.interrupt, at: .milliseconds(300)),
                                              .init(signal: Signal.continue, at: .milliseconds(300))])
    }

    @Test func withoutSIGCONTAStoppedCommandWouldWaitForSIGKILL() throws {
        // The fake's model, checked: a stopped process acts on nothing but
        // SIGKILL until continued.
        let system = FakeSystem([.process(.init(runsFor: .seconds(1000), startsStopped: true))])
        let process = try system.start(LaunchRequest(arguments: ["sh"], environment: [:]))
        system.signalGroup(process.pid, Signal.terminate)
        #expect(system.next(until: .seconds(1)) == nil, "still running, SIGTERM pending")
        system.signalGroup(process.pid, Signal.continue)
        #expect(system.next(until: .seconds(2)) == .exited(pid: process.pid, .signaled(Signal.terminate)))
    }

    @Test func teardownEndsSoonAfterSIGKILLEvenIfTheGroupNeverEmpties() throws {
        let stuck = FakeSystem.Step.process(.init(runsFor: .seconds(1000), leavesStraggler: true, stragglerSurvivesKill: true))
        let run = try run("-n", "1", "-t", "1s", "--kill-after", "2s", "sh", script: [stuck])
        #expect(run.result == .exit(.timedOut))
        #expect(run.signals(ofAttempt: 1).last == .init(signal: Signal.kill, at: .seconds(3)))
        #expect(run.system.now() <= .seconds(3) + AttemptSupervisor.afterKill + .milliseconds(5),
                "within --kill-after and a small margin")
    }

    @Test func teardownEndsSoonWhenSIGKILLWentOutBeforeTheCommandEnded() throws {
        // The command ignores SIGTERM; SIGKILL ends it; its straggler is
        // still counted alive: polling must stop all the same.
        let stuck = FakeSystem.Step.process(.init(runsFor: .seconds(1000), ignores: [Signal.terminate],
                                                  leavesStraggler: true, stragglerSurvivesKill: true))
        let run = try run("-n", "1", "-t", "200ms", "--kill-after", "500ms", "sh", script: [stuck])
        #expect(run.result == .exit(.timedOut))
        #expect(run.system.now() <= .milliseconds(700) + AttemptSupervisor.afterKill + .milliseconds(5))
    }
}

extension RunnerTests {
    @Test func noFurtherAttemptOnceNothingReadsTheOutput() throws {
        let system = FakeSystem([.process(.init(exits: .signaled(13))), .exits(0)])
        system.readerGoneAt = .zero
        var events: [RunEvent] = []
        let runner = Runner(configuration: try parsedConfiguration(["-n", "5", "yes"]), environment: [:], idempotencyKey: "k",
                            launcher: system, events: system, clock: system, wall: system, report: { events.append($0) })
        var random = SplitMix64(seed: 1)
        #expect(runner.run(random: &random) == .exit(ExitStatus(rawValue: 141)))
        #expect(system.requests.count == 1)
        #expect(events.last == .gaveUp(.outputLost(.readerGone), attempts: 1, status: ExitStatus(rawValue: 141)))
    }
}
