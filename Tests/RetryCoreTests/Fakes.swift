@testable import RetryCore

/// A clock that moves only when told, and a sleeper that moves it.
final class FakeClock: MonotonicClock, Sleeper {
    private(set) var current = Duration.zero
    private(set) var sleeps: [Duration] = []

    func now() -> Duration { current }

    func sleep(for duration: Duration) {
        sleeps.append(duration)
        current += duration
    }

    func advance(by duration: Duration) { current += duration }
}

/// A launcher that plays back scripted outcomes and records what it was asked
/// to run; each attempt takes `attemptDuration` of fake time.
final class FakeLauncher: ProcessLauncher {
    enum Step {
        case ends(Termination)
        case fails(LaunchFailure)
    }

    private var script: [Step]
    private(set) var requests: [LaunchRequest] = []
    let clock: FakeClock
    let attemptDuration: Duration

    init(_ script: [Step], clock: FakeClock, attemptDuration: Duration = .milliseconds(10)) {
        self.script = script
        self.clock = clock
        self.attemptDuration = attemptDuration
    }

    /// Exits with each status in turn.
    convenience init(statuses: [Int32], clock: FakeClock) {
        self.init(statuses.map { .ends(.exited($0)) }, clock: clock)
    }

    func run(_ request: LaunchRequest) throws(LaunchFailure) -> Termination {
        requests.append(request)
        precondition(!script.isEmpty, "the runner made more attempts than the test scripted")
        clock.advance(by: attemptDuration)
        switch script.removeFirst() {
        case .ends(let termination): return termination
        case .fails(let failure): throw failure
        }
    }
}

/// A generator that returns a fixed value, to pin jitter at its extremes.
struct ConstantGenerator: RandomNumberGenerator {
    let value: UInt64
    mutating func next() -> UInt64 { value }
}

/// Parses a command line that is expected to be valid.
func parsedConfiguration(_ words: String...) throws -> Configuration {
    guard case .run(let configuration) = try CommandLineParser.parse(words) else {
        throw UsageError("not a run: \(words)")
    }
    return configuration
}
