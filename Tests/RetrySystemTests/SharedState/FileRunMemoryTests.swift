import Foundation
import Testing
@testable import RetryCore
@testable import RetrySystem

/// The breaker and quota over real state files, in a scratch directory,
/// on a wall clock the test sets.
@Suite final class FileRunMemoryTests {
    final class Wall: WallClock {
        var seconds = 1_795_579_925.0
        func now() -> Double { seconds }
    }

    private let scratch: ScratchDirectory
    private let wall = Wall()
    private var warnings: [String] = []

    init() throws {
        scratch = try ScratchDirectory("memory")
    }

    func memory(_ words: String...) throws -> FileRunMemory {
        guard case .run(let configuration) = try CommandLineParser.parse(words + ["true"]) else {
            throw UsageError("not a run")
        }
        let clock = SteppingClock()
        return try FileRunMemory(configuration, wall: wall, clock: clock, sleep: clock.sleep,
                                 warn: { [unowned self] in warnings.append($0) })
    }

    var breakerPath: String { scratch.path + "/breaker" }
    var quotaPath: String { scratch.path + "/quota" }

    @Test func failedRunsOpenTheBreakerForItsCooldown() throws {
        for _ in 0..<2 {
            let run = try memory("--breaker", breakerPath, "--breaker-threshold", "2", "--breaker-cooldown", "30s")
            #expect(run.admit() == .proceed)
            run.finish(.failed, lastRetryCost: nil)
        }
        let refused = try memory("--breaker", breakerPath, "--breaker-threshold", "2")
        guard case .rejected(let message) = refused.admit() else {
            Issue.record("an open breaker admitted a run")
            return
        }
        #expect(message.hasPrefix("the circuit breaker in \(breakerPath) is open; the next trial is allowed at "))
        wall.seconds += 30
        #expect(try memory("--breaker", breakerPath, "--breaker-threshold", "2").admit() == .proceed, "the trial after the cooldown")
        #expect(warnings.isEmpty)
    }

    @Test func aTrialHoldsTheBreakerHalfOpenAndItsSuccessClosesIt() throws {
        let first = try memory("--breaker", breakerPath, "--breaker-threshold", "1", "--breaker-cooldown", "1s")
        #expect(first.admit() == .proceed)
        first.finish(.failed, lastRetryCost: nil)
        wall.seconds += 1
        let trial = try memory("--breaker", breakerPath, "--breaker-threshold", "1")
        #expect(trial.admit() == .proceed)
        // Another process's run would be refused while this one, alive,
        // holds the lease (the end-to-end tests show that across processes).
        #expect(try memory("--breaker", breakerPath).describe().first?.contains(": half-open,") == true)
        trial.finish(.succeeded, lastRetryCost: nil)
        #expect(try memory("--breaker", breakerPath, "--breaker-threshold", "1").admit() == .proceed)
        #expect(try memory("--breaker", breakerPath).describe().first?.contains(": closed, 0 failed runs in a row") == true)
    }

    @Test func theQuotaPaysUntilItIsEmptyAndASuccessRefunds() throws {
        let run = try memory("--quota", quotaPath, "--quota-size", "12")
        #expect(run.payForRetry(afterTimeout: false) == .paid(5))
        #expect(run.payForRetry(afterTimeout: false) == .paid(5))
        #expect(run.payForRetry(afterTimeout: false) == .refused)
        run.finish(.succeeded, lastRetryCost: 5)
        #expect(try memory("--quota", quotaPath, "--quota-size", "12").describe()
            == ["quota \(quotaPath): 7 of 12 tokens; a retry costs 5, 10 after a timeout"])
    }

    @Test func oneFileForBothIsRefused() throws {
        let link = scratch.path + "/same"
        #expect(FileManager.default.createFile(atPath: breakerPath, contents: nil))
        try FileManager.default.linkItem(atPath: breakerPath, toPath: link)
        #expect(throws: SharedStateError.refused("--breaker \(breakerPath) and --quota \(link) share a file; give each its own")) {
            try memory("--breaker", breakerPath, "--quota", link)
        }
    }
}
