import Foundation
@testable import RetryCore
@testable import RetrySystem

/// A directory of its own in `$TMPDIR` for one test, removed with the value.
final class ScratchDirectory {
    let path: String

    init(_ prefix: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A state file at `path`, on a clock that moves only when it sleeps, so a
/// wait for a busy lock takes no real time.
func stateFile(_ path: String) -> StateFile {
    let clock = SteppingClock()
    return StateFile(path: path, clock: clock, sleep: clock.sleep)
}

/// A monotonic clock that moves only when something sleeps on it, so a
/// wait with a deadline takes no real time.
final class SteppingClock: MonotonicClock, @unchecked Sendable {
    private(set) var current = Duration.zero
    private(set) var sleeps = 0

    func now() -> Duration { current }

    func sleep(_ duration: Duration) {
        current += duration
        sleeps += 1
    }
}
