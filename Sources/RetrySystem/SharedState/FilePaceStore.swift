import RetryCore

/// The fleet pacer kept in a state file, for runs on one host: each step
/// is one read-modify-write under the file's lock (`StateFile`), timed by
/// the wall clock, which every process on the host shares. A file that
/// cannot be used is reported once, and the run goes on unpaced.
package final class FilePaceStore: PaceStore {
    private let file: StateFile
    private let pacer: Pacer
    private let wall: any WallClock
    private let warn: (String) -> Void
    private let dryRun: Bool
    private var failed = false

    /// Checks the path; a refused path is thrown before anything runs. A
    /// dry run creates nothing.
    package init(_ configuration: Configuration, path: String, wall: any WallClock, clock: any MonotonicClock,
                sleep: @escaping (Duration) -> Void, warn: @escaping (String) -> Void, dryRun: Bool = false,
                stopRequested: @escaping () -> Bool = { false }) throws(SharedStateError) {
        file = StateFile(path: path, clock: clock, sleep: sleep, stopRequested: stopRequested)
        pacer = configuration.sharedState.pacer
        self.wall = wall
        self.warn = warn
        self.dryRun = dryRun
        try file.validate(creatingLock: !dryRun)
    }

    package var display: String { file.path }

    package func takeSlot(within limit: Duration?) -> PaceTicket? {
        let now = wall.now()
        let slot: Pacer.Slot? = update { state in pacer.take(&state, now: now, latest: limit.map { now + $0.seconds }) }
        return slot.map { PaceTicket($0, now: now) }
    }

    package func hold(for delay: Duration) {
        let now = wall.now()
        _ = update { state in pacer.throttled(&state, now: now, delay: delay.seconds) }
    }

    package func succeeded() {
        // With --rate there is nothing to learn: no write, no lock.
        guard pacer.rate == nil else { return }
        _ = update { state in pacer.succeeded(&state) }
    }

    package func holdRemaining() -> Duration? {
        guard !failed, let state = (try? file.read(PaceState.self, warn: { _ in })) ?? nil else { return nil }
        return .clampedSeconds(state.hold - wall.now())
    }

    package func describe() -> [String] {
        let warn = dryRun ? self.warn : { _ in }
        let state = (try? file.read(PaceState.self, warn: warn)) ?? nil
        return [PaceWording.describe(file.path, state, rules: pacer, now: wall.now())]
    }

    package func snapshot() throws(SharedStateError) -> StoreSnapshot.Pace {
        StoreSnapshot.Pace(store: file.path, state: try file.read(PaceState.self, warn: warn), now: wall.now())
    }

    package func reset() throws(SharedStateError) -> StoreSnapshot.Pace {
        let now = wall.now()
        let old = try file.update(PaceState.self, warn: warn) { state in
            defer { state = state.map { Pacer.reset($0, now: now) } }
            return state
        }
        return StoreSnapshot.Pace(store: file.path, state: old, now: now)
    }

    /// One step under the lock; nil (said once) when the file cannot be used.
    private func update<Result>(_ body: (inout PaceState) -> Result) -> Result? {
        guard !failed else { return nil }
        do {
            return try file.update(PaceState.self, warn: warn) { state in
                var current = state ?? PaceState()
                let result = body(&current)
                state = current
                return result
            }
        } catch {
            failed = true
            warn(error.message)
            return nil
        }
    }
}
