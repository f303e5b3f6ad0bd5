import Testing
@testable import RetryCore

/// What the loop does with lost output, and with a signal that comes while
/// nothing waits on events (the output draining after an attempt).
@Suite struct RunnerOutputAndSignalTests {
    func run(_ words: [String], script: [FakeSystem.Step], prepare: (FakeSystem) -> Void = { _ in }) throws -> (RunResult, [RunEvent], FakeSystem) {
        let system = FakeSystem(script)
        prepare(system)
        var events: [RunEvent] = []
        let runner = Runner(configuration: try parsedConfiguration(words), environment: [:], idempotencyKey: "key-1",
                            launcher: system, events: system, clock: system, wall: system, report: { events.append($0) })
        var random = SplitMix64(seed: 1)
        return (runner.run(random: &random), events, system)
    }

    static func failing(lost: OutputLoss?) -> FakeSystem.Step {
        var report = OutputReport()
        report.lost = lost
        return .process(.init(exits: .exited(3), output: report))
    }

    @Test func aSignalWhileTheOutputDrainsEndsTheRunAsTheSignal() throws {
        let (result, events, system) = try run(["-n", "1", "true"], script: [.exits(0)]) { $0.signalDuringRelease = Signal.terminate }
        #expect(result == .signal(Signal.terminate), "not the attempt's status 0")
        #expect(events.last == .interrupted(Signal.terminate, duringAttempt: true))
        #expect(system.requests.count == 1)
    }

    @Test func lostOutputFailsTheRunWith125AndNoRetry() throws {
        let loss = OutputLoss.failed("cannot write the command's output to stdout: no space left on device")
        let (result, events, system) = try run(["-n", "5", "-b", "0", "--retry-if-output", "x", "true"], script: [Self.failing(lost: loss)])
        #expect(result == .exit(.usage))
        #expect(system.requests.count == 1)
        #expect(events.last == .gaveUp(.outputLost(loss), attempts: 1, status: .usage))
        #expect(TextReporter.line(for: events.last!, verbosity: .quiet) == "giving up: cannot write the command's output to stdout: no space left on device; exit status 125")
    }

    @Test func aGoneReaderStopsRetryingWithTheCommandsStatus() throws {
        let (result, _, system) = try run(["-n", "5", "-b", "0", "--retry-if-output", "x", "true"], script: [Self.failing(lost: .readerGone)])
        #expect(result == .exit(ExitStatus(rawValue: 3)))
        #expect(system.requests.count == 1)
    }

    @Test func heldOutputThatCannotBePublishedFailsTheRun() throws {
        let loss = OutputLoss.failed("cannot write the held output to stdout: no space left on device")
        let (result, _, system) = try run(["--hold-output", "true"], script: [.exits(0)]) { $0.publishLoses = loss }
        #expect(result == .exit(.usage))
        #expect(system.published == 1)
        let (broken, _, _) = try run(["--hold-output", "true"], script: [.exits(0)]) { $0.publishLoses = .readerGone }
        #expect(broken == .exit(.killed(by: Signal.pipe)))
    }
}
