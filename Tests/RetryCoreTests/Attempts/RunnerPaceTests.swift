import Testing
@testable import RetryCore

/// The attempt loop with a `--pace`: a slot before every attempt, in fake
/// time, against the real pacer steps kept in memory.
@Suite struct RunnerPaceTests {
    struct Run {
        let result: RunResult
        let events: [RunEvent]
        let system: FakeSystem
        let pace: MemoryPaceStore
    }

    func run(_ words: [String], script: [FakeSystem.Step], signals: [(at: Duration, signal: Int32)] = [],
             others: @escaping (Int, inout PaceState) -> Void = { _, _ in }) throws -> Run {
        let configuration = try parsedConfiguration(words)
        let system = FakeSystem(script, signals: signals)
        let pace = MemoryPaceStore(rate: configuration.sharedState.pacer.rate, wall: system)
        pace.others = others
        var events: [RunEvent] = []
        let runner = Runner(configuration: configuration, environment: [:], idempotencyKey: "key-1", launcher: system,
                            events: system, clock: system, wall: system, pace: pace, report: { events.append($0) })
        var random = SplitMix64(seed: 1)
        return Run(result: runner.run(random: &random), events: events, system: system, pace: pace)
    }

    static let epoch = FakeSystem.epoch

    /// Four other runs took slots just before this one, at 5/s.
    static func fourAhead(_ take: Int, _ state: inout PaceState) {
        if take == 1 { state.nextSlot = epoch + 0.8 }
    }

    @Test func theFirstAttemptWaitsForItsSlotAndSaysWhere() throws {
        let run = try run(["--pace", "p", "--rate", "5/s", "-b", "0", "cmd"], script: [.exits(0)], others: Self.fourAhead)
        #expect(run.result == .exit(.success))
        #expect(run.system.sleeps == [.milliseconds(800)])
        #expect(run.events.contains(.paceWait(attempt: 1, delay: .milliseconds(800), slot: Self.epoch + 0.8, store: "mem")))
        #expect(run.pace.state.slots == 1)
    }

    @Test func everyAttemptTakesASlotAndSlotsUseNoAttempt() throws {
        let run = try run(["--pace", "p", "--rate", "1/s", "-n", "3", "-b", "0", "cmd"], script: [.exits(1), .exits(1), .exits(0)])
        #expect(run.result == .exit(.success))
        #expect(run.pace.takes == 3 && run.system.requests.count == 3)
        // Each attempt runs 10 ms, then a backoff of 0; the next slot is
        // 1 s after the last.
        #expect(run.system.sleeps == [.zero, .milliseconds(990), .zero, .milliseconds(990)])
    }

    @Test func aFirstSlotPastTheBudgetExits75WithoutRunning() throws {
        let run = try run(["--pace", "p", "--rate", "1/s", "--budget", "500ms", "cmd"], script: [], others: Self.fourAhead)
        #expect(run.result == .exit(ExitStatus(rawValue: 75)))
        #expect(run.system.requests.isEmpty && run.system.sleeps.isEmpty)
        #expect(run.events.last == .gaveUp(.paceSlotPastBudget(.milliseconds(500), wait: .milliseconds(800)), attempts: 0,
                                           status: ExitStatus(rawValue: 75)))
        #expect(run.pace.state.slots == 0, "the refused slot stays free")
        #expect(TextReporter.line(for: run.events.last!, verbosity: .quiet)
            == "giving up: the next free slot of the --pace is in 800ms, past the --budget of 500ms; not running the command; exit status 75")
    }

    @Test func aLaterSlotPastTheBudgetEndsWithTheLastStatus() throws {
        let run = try run(["--pace", "p", "--rate", "1/m", "--budget", "30s", "-b", "0", "cmd"], script: [.exits(3)])
        #expect(run.result == .exit(ExitStatus(rawValue: 3)))
        #expect(run.system.requests.count == 1)
        guard case .gaveUp(.paceSlotPastBudget(.seconds(30), let wait), 1, ExitStatus(rawValue: 3)) = run.events.last else {
            Issue.record("\(run.events)")
            return
        }
        #expect(wait > .seconds(59) && wait <= .seconds(60))
    }

    @Test func aRetryAfterHoldsThePaceAndTheRetryWaitsForIt() throws {
        let throttled = FakeSystem.Step.process(.init(exits: .exited(0), output: OutputReport(httpStatus: 429, retryAfter: "5")))
        let run = try run(["--pace", "p", "--rate", "5/s", "--http", "-b", "0", "cmd"], script: [throttled, .exits(0)])
        #expect(run.result == .exit(.success))
        #expect(run.pace.holds == [.seconds(5)])
        // The retry waits the floor of 5 s without a spread of its own (the
        // pacer spreads), and its slot is then due at once.
        #expect(run.system.sleeps == [.seconds(5)])
        #expect(run.pace.state.hold == Self.epoch + 5.01)
    }

    @Test func aHoldSetWhileAsleepIsSeenOnWaking() throws {
        let configuration = try parsedConfiguration("--pace", "p", "--rate", "5/s", "cmd")
        let system = FakeSystem([.exits(0)])
        let pace = MemoryPaceStore(rate: configuration.sharedState.pacer.rate, wall: system)
        pace.state.nextSlot = Self.epoch + 0.4
        // Another run's server asks for 3 s while this one sleeps for its slot.
        var asleep = 0
        pace.whileAsleep = { state in
            asleep += 1
            if asleep == 1 { state.hold = Self.epoch + 3 }
        }
        let runner = Runner(configuration: configuration, environment: [:], idempotencyKey: "k", launcher: system,
                            events: system, clock: system, wall: system, pace: pace, report: { _ in })
        var random = SplitMix64(seed: 1)
        #expect(runner.run(random: &random) == .exit(.success))
        #expect(pace.takes == 2)
        #expect(system.sleeps == [.milliseconds(400), .milliseconds(2600)])
    }

    @Test func aSignalDuringTheSlotWaitStopsTheRun() throws {
        let run = try run(["--pace", "p", "--rate", "5/s", "cmd"], script: [], signals: [(at: .milliseconds(300), signal: 15)],
                          others: Self.fourAhead)
        #expect(run.result == .signal(15))
        #expect(run.system.requests.isEmpty)
        #expect(run.events.last == .interrupted(15, duringAttempt: false))
    }
}
