import Foundation
import RetryCore

/// The breaker and quota kept in state files.
package final class FileRunMemory: RunMemory {
    private let breakerFile: StateFile?
    private let breaker: CircuitBreaker
    private let quotaFile: StateFile?
    private let quota: RetryQuota
    private let wall: any WallClock
    private let warn: (String) -> Void
    private let lease: BreakerState.Lease
    private let dryRun: Bool
    private var isTrial = false

    /// Checks both paths; a refused path is thrown before anything runs. A
    /// dry run creates nothing, and reports a corrupt file when describing.
    /// `clock` and `sleep` time and pace the wait for a busy lock.
    /// `stopRequested` (a signal came) ends a wait for a lock at once.
    package init(_ configuration: Configuration, wall: any WallClock, clock: any MonotonicClock,
                sleep: @escaping (Duration) -> Void, warn: @escaping (String) -> Void,
                dryRun: Bool = false, stopRequested: @escaping () -> Bool = { false }) throws(SharedStateError) {
        breakerFile = configuration.sharedState.breakerPath.map { StateFile(path: $0, clock: clock, sleep: sleep, stopRequested: stopRequested) }
        quotaFile = configuration.sharedState.quotaPath.map { StateFile(path: $0, clock: clock, sleep: sleep, stopRequested: stopRequested) }
        breaker = configuration.sharedState.breaker
        quota = configuration.sharedState.quota
        self.wall = wall
        self.warn = warn
        lease = ProcessLease.current()
        self.dryRun = dryRun
        try breakerFile?.validate(creatingLock: !dryRun)
        try quotaFile?.validate(creatingLock: !dryRun)
        if let breakerFile, let quotaFile {
            let breakerFiles = breakerFile.openForIdentity(), quotaFiles = quotaFile.openForIdentity()
            defer { (breakerFiles + quotaFiles).forEach { close($0) } }
            if !Set(breakerFiles.compactMap(StateFile.identity)).isDisjoint(with: quotaFiles.compactMap(StateFile.identity)) {
                throw .refused("--breaker \(breakerFile.path) and --quota \(quotaFile.path) share a file; give each its own")
            }
        }
    }

    package func admit() -> MemoryAdmission {
        guard let breakerFile else { return .proceed }
        let now = wall.now()
        let admission: CircuitBreaker.Admission
        do {
            admission = try breakerFile.update(BreakerState.self, warn: warn) { state in
                var current = state ?? BreakerState()
                let admission = breaker.admit(&current, now: now, as: lease, holderAlive: ProcessLease.isAlive)
                state = current
                return admission
            }
        } catch {
            warn(error.message)
            return .proceed
        }
        if admission == .trial { isTrial = true }
        return SharedStateWording.admission(admission, store: breakerFile.path, now: now)
    }

    package func payForRetry(afterTimeout: Bool) -> RetryPayment {
        guard let quotaFile else { return .free }
        let cost = quota.cost(afterTimeout: afterTimeout)
        do {
            return try quotaFile.update(QuotaState.self, warn: warn) { state in
                var current = state ?? QuotaState(balance: quota.size)
                quota.refill(&current, now: wall.now())
                let paid = quota.take(cost, from: &current)
                state = current
                return paid ? .paid(cost) : .refused
            }
        } catch {
            warn(error.message)
            return .free
        }
    }

    package func finish(_ verdict: RunVerdict, lastRetryCost: Int?) {
        let now = wall.now()
        // Each file on its own: a busy breaker must not cost the quota its refund.
        do {
            try breakerFile?.update(BreakerState.self, warn: warn) { state in
                var current = state ?? BreakerState()
                breaker.record(&current, succeeded: verdict == .succeeded, interrupted: verdict == .inconclusive,
                               trial: isTrial, now: now)
                state = current
            }
        } catch {
            warn(error.message)
        }
        guard verdict == .succeeded else { return }
        do {
            try quotaFile?.update(QuotaState.self, warn: warn) { state in
                var current = state ?? QuotaState(balance: quota.size)
                quota.refill(&current, now: now)
                quota.refund(&current, lastRetryCost: lastRetryCost)
                state = current
            }
        } catch {
            warn(error.message)
        }
    }

    package func describe() -> [String] {
        // A real run reports a corrupt file when it updates it; saying it
        // here too would say it twice.
        let warn = dryRun ? self.warn : { _ in }
        var lines: [String] = []
        if let breakerFile {
            let state = (try? breakerFile.read(BreakerState.self, warn: warn)) ?? nil
            lines.append(SharedStateWording.breaker(breakerFile.path, state, rules: breaker, now: wall.now()))
        }
        if let quotaFile {
            let state = (try? quotaFile.read(QuotaState.self, warn: warn)) ?? nil
            lines.append(SharedStateWording.quota(quotaFile.path, balance: state?.balance, rules: quota))
        }
        return lines
    }

    package func sharedWait() -> SharedWait? {
        guard let breakerFile, let state = (try? breakerFile.read(BreakerState.self, warn: { _ in })) ?? nil else { return nil }
        let now = wall.now()
        guard state.retryAfterUntil > now else { return nil }
        return SharedWait(delay: .clampedSeconds(state.retryAfterUntil - now), until: state.retryAfterUntil, store: breakerFile.path)
    }

    package func shareRetryAfter(_ delay: Duration) {
        guard let breakerFile, delay > .zero else { return }
        let until = wall.now() + delay.seconds
        do {
            try breakerFile.update(BreakerState.self, warn: warn) { state in
                var current = state ?? BreakerState()
                current.retryAfterUntil = max(current.retryAfterUntil, until)
                state = current
            }
        } catch {
            warn(error.message)
        }
    }

    package func snapshot() throws(SharedStateError) -> StoreSnapshot {
        let now = wall.now()
        var snapshot = StoreSnapshot()
        if let breakerFile {
            let state = try breakerFile.read(BreakerState.self, warn: warn)
            snapshot.breaker = .init(store: breakerFile.path, state: state, trialHolder: Self.holder(state), now: now)
        }
        if let quotaFile {
            snapshot.quota = .init(store: quotaFile.path, state: try quotaFile.read(QuotaState.self, warn: warn), now: now)
        }
        return snapshot
    }

    package func reset() throws(SharedStateError) -> StoreSnapshot {
        let now = wall.now()
        var before = StoreSnapshot()
        if let breakerFile {
            let old = try breakerFile.update(BreakerState.self, warn: warn) { state in
                defer { state = state.map(CircuitBreaker.reset) }
                return state
            }
            before.breaker = .init(store: breakerFile.path, state: old, trialHolder: Self.holder(old), now: now)
        }
        if let quotaFile {
            let size = quota.size
            let old = try quotaFile.update(QuotaState.self, warn: warn) { state in
                defer { state = state.map { RetryQuota.refilled($0, size: size) } }
                return state
            }
            before.quota = .init(store: quotaFile.path, state: old, now: now)
        }
        return before
    }

    /// The trial's holder in words, when the breaker is half-open.
    private static func holder(_ state: BreakerState?) -> String? {
        guard let state, state.phase == .halfOpen, let trial = state.trial else { return nil }
        return "process \(trial.pid)" + (ProcessLease.isAlive(trial) ? "" : " (no longer running)")
    }
}
