#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What a run remembers across runs: the circuit breaker and the retry
/// quota. The real one keeps them in state files; tests use one in memory.
public protocol RunMemory {
    /// Before the first attempt: whether the run may go ahead.
    func admit() -> MemoryAdmission
    /// Before each retry: pays for it from the quota.
    func payForRetry(afterTimeout: Bool) -> RetryPayment
    /// At the end of an admitted run; `lastRetryCost` is what the last paid
    /// retry cost, nil when none was paid.
    func finish(_ verdict: RunVerdict, lastRetryCost: Int?)
    /// The state in words, changing nothing (`--verbose`, `--dry-run`).
    func describe() -> [String]
}

/// What paying for a retry came to.
public enum RetryPayment: Equatable, Sendable {
    /// Taken from the quota; refunded if the run then succeeds.
    case paid(Int)
    /// No quota, or its file could not be used: the retry goes ahead free.
    case free
    /// The quota cannot pay: no retry.
    case refused
}

/// What a run says about the service it calls.
public enum RunVerdict: Equatable, Sendable {
    case succeeded
    case failed
    /// Nothing: the run was stopped by a signal, or the command could not
    /// even be started (a typo in a crontab is no outage). Only a trial
    /// lease is freed.
    case inconclusive
}

public enum MemoryAdmission: Equatable, Sendable {
    case proceed
    /// The breaker is open; the message says which file and until when.
    case rejected(String)
}

/// Wall-clock time in seconds since the epoch: processes share no monotonic
/// clock, so state files keep this.
public protocol WallClock {
    func now() -> Double
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// The breaker and quota kept in state files.
public final class FileRunMemory: RunMemory {
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
    public init(_ configuration: Configuration, wall: any WallClock, warn: @escaping (String) -> Void,
                dryRun: Bool = false) throws(StateFileError) {
        breakerFile = configuration.breakerPath.map { StateFile(path: $0) }
        quotaFile = configuration.quotaPath.map { StateFile(path: $0) }
        breaker = configuration.breaker
        quota = configuration.quota
        self.wall = wall
        self.warn = warn
        lease = ProcessLease.current()
        self.dryRun = dryRun
        try breakerFile?.validate(creatingLock: !dryRun)
        try quotaFile?.validate(creatingLock: !dryRun)
        if let breakerFile, let quotaFile, !breakerFile.identities.isDisjoint(with: quotaFile.identities) {
            throw .refused("--breaker \(breakerFile.path) and --quota \(quotaFile.path) share a file; give each its own")
        }
    }

    public func admit() -> MemoryAdmission {
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
        switch admission {
        case .allowed:
            return .proceed
        case .trial:
            isTrial = true
            return .proceed
        case .rejected(let retryAt) where retryAt == 0:
            return .rejected("the circuit breaker in \(breakerFile.path) is half-open and a trial run is under way; not running the command")
        case .rejected(let retryAt):
            let wait = DurationText.format(.clampedSeconds(retryAt - now))
            return .rejected("the circuit breaker in \(breakerFile.path) is open; the next trial is allowed at \(Self.timestamp(retryAt)) (in \(wait)); not running the command")
        }
    }

    public func payForRetry(afterTimeout: Bool) -> RetryPayment {
        guard let quotaFile else { return .free }
        let cost = quota.cost(afterTimeout: afterTimeout)
        do {
            return try quotaFile.update(QuotaState.self, warn: warn) { state in
                var current = state ?? QuotaState(balance: quota.size)
                let paid = quota.take(cost, from: &current)
                state = current
                return paid ? .paid(cost) : .refused
            }
        } catch {
            warn(error.message)
            return .free
        }
    }

    public func finish(_ verdict: RunVerdict, lastRetryCost: Int?) {
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
                quota.refund(&current, lastRetryCost: lastRetryCost)
                state = current
            }
        } catch {
            warn(error.message)
        }
    }

    public func describe() -> [String] {
        // A real run reports a corrupt file when it updates it; saying it
        // here too would say it twice.
        let warn = dryRun ? self.warn : { _ in }
        var lines: [String] = []
        if let breakerFile {
            let state = (try? breakerFile.read(BreakerState.self, warn: warn)) ?? nil
            let current = state ?? BreakerState()
            var line = "breaker \(breakerFile.path): \(current.phase.rawValue), \(current.consecutiveFailures) failed run(s) in a row (opens at \(breaker.threshold))"
            if current.phase == .open {
                line += current.retryAt > wall.now() ? ", next trial at \(Self.timestamp(current.retryAt))" : ", a trial is allowed now"
            }
            lines.append(state == nil ? line + ", no state yet" : line)
        }
        if let quotaFile {
            let state = (try? quotaFile.read(QuotaState.self, warn: warn)) ?? nil
            let balance = min(state?.balance ?? quota.size, quota.size)
            lines.append("quota \(quotaFile.path): \(balance) of \(quota.size) tokens; a retry costs \(RetryQuota.retryCost), \(RetryQuota.timeoutRetryCost) after a timeout")
        }
        return lines
    }

    /// `2026-11-24T03:12:05Z`.
    static func timestamp(_ seconds: Double) -> String {
        var time = time_t(seconds.rounded(.up))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}

extension StateFileError {
    var message: String {
        switch self {
        case .refused(let message), .unavailable(let message): message
        }
    }
}

/// Identifies a process across pid reuse, for the breaker's trial lease.
enum ProcessLease {
    static func current() -> BreakerState.Lease {
        BreakerState.Lease(pid: getpid(), processStart: startTime(of: getpid()) ?? 0)
    }

    /// Whether the lease holder still runs: same pid, same start time, not a zombie.
    static func isAlive(_ lease: BreakerState.Lease) -> Bool {
        guard let entry = ProcStat.read(lease.pid), !entry.isZombie else { return false }
        return entry.startTime == lease.processStart
    }

    private static func startTime(of pid: Int32) -> UInt64? {
        ProcStat.read(pid)?.startTime
    }
}
