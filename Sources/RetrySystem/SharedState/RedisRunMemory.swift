import RetryCore

/// The breaker and quota kept in Redis, for runs on many hosts. Every
/// read-modify-write is one Lua script (`RedisScript`), atomic on the server
/// and timed by its clock; nothing is locked while the command runs. A
/// half-open trial is a lease that a `LeaseRenewer` keeps alive while the
/// run goes on. When Redis cannot be reached within its limits the run goes
/// on without it, saying so once.
package final class RedisRunMemory: RunMemory {
    private let breakerStore: RedisStore?
    private let quotaStore: RedisStore?
    private let breaker: CircuitBreaker
    private let quota: RetryQuota
    private let token: String
    private var renewer: LeaseRenewer?
    private var isTrial = false
    private let warn: (String) -> Void
    /// Whether `--verbose` asked for notes (a trial's outcome not recorded).
    private let verbose: Bool

    /// Parses the URLs (the password from `REDISCLI_AUTH` when they give
    /// none); connects on first use. A breaker and quota on one server share
    /// one connection, and so one warning if it is down.
    package init(_ configuration: Configuration, environment: [String: String],
                warn: @escaping (String) -> Void) throws(SharedStateError) {
        let password = environment["REDISCLI_AUTH"]
        let caFile = configuration.sharedState.redisCAFile
        let breakerLocation = try Self.location(configuration.sharedState.breakerPath, option: "--breaker", password: password, caFile: caFile)
        let quotaLocation = try Self.location(configuration.sharedState.quotaPath, option: "--quota", password: password, caFile: caFile)
        if let breakerLocation, let quotaLocation, breakerLocation.key == quotaLocation.key,
           breakerLocation.host == quotaLocation.host, breakerLocation.port == quotaLocation.port {
            throw .refused("--breaker and --quota name one Redis key, \(breakerLocation.display); give each its own")
        }
        let breakerServer = breakerLocation.map { RedisServer($0, warn: warn) }
        breakerStore = breakerLocation.map { RedisStore(location: $0, server: breakerServer!) }
        quotaStore = quotaLocation.map { location in
            let shared = breakerLocation?.sameServer(as: location) ?? false
            return RedisStore(location: location, server: shared ? breakerServer! : RedisServer(location, warn: warn))
        }
        breaker = configuration.sharedState.breaker
        quota = configuration.sharedState.quota
        token = LeaseToken.make()
        self.warn = warn
        verbose = configuration.presentation.verbosity == .verbose
    }

    private static func location(_ text: String?, option: String, password: String?,
                                 caFile: String?) throws(SharedStateError) -> RedisLocation? {
        guard let text else { return nil }
        do {
            var location = try RedisLocation.parse(text, environmentPassword: password)
            if location.tls { location.caFile = caFile }
            return location
        } catch {
            throw .refused("\(option): \(error.reason)")
        }
    }

    package func admit() -> MemoryAdmission {
        guard let breakerStore,
              let reply = breakerStore.run(.breakerAdmit, [token, ms(RedisStoreLimits.lease), ms(RedisStoreLimits.idle)]),
              let (admission, now) = RedisReplies.admission(reply) else { return .proceed }
        if admission == .trial {
            isTrial = true
            renewer = LeaseRenewer(location: breakerStore.location, token: token)
        }
        return SharedStateWording.admission(admission, store: breakerStore.display, now: now)
    }

    package func payForRetry(afterTimeout: Bool) -> RetryPayment {
        guard let quotaStore else { return .free }
        let cost = quota.cost(afterTimeout: afterTimeout)
        guard let reply = quotaStore.run(.quotaTake, [String(cost), String(quota.size), ms(RedisStoreLimits.idle)]) else { return .free }
        return RedisReplies.payment(reply, cost: cost) ?? .free
    }

    package func finish(_ verdict: RunVerdict, lastRetryCost: Int?) {
        renewer?.stop()
        renewer = nil
        if let breakerStore {
            let outcome = switch verdict {
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .inconclusive: "inconclusive"
            }
            let reply = breakerStore.run(.breakerFinish, [outcome, isTrial ? "1" : "0", token, String(breaker.threshold),
                                                          ms(breaker.cooldown), ms(RedisStoreLimits.idle)])
            if verbose, reply?.integer == 0 {
                warn("the trial's lease in \(breakerStore.display) expired and went to another run (was retry stopped?); this run's outcome was not recorded")
            }
        }
        guard verdict == .succeeded, let quotaStore else { return }
        let refund = lastRetryCost ?? RetryQuota.firstSuccessRefund
        _ = quotaStore.run(.quotaRefund, [String(refund), String(quota.size), ms(RedisStoreLimits.idle)])
    }

    package func describe() -> [String] {
        var lines: [String] = []
        if let breakerStore {
            let snapshot = breakerStore.run(.read, []).flatMap(RedisReplies.snapshot)
            let state = snapshot.flatMap { RedisReplies.breaker($0.fields) }
            lines.append(SharedStateWording.breaker(breakerStore.display, state, rules: breaker, now: snapshot?.now ?? 0))
        }
        if let quotaStore {
            let fields = quotaStore.run(.read, []).flatMap(RedisReplies.snapshot)?.fields
            lines.append(SharedStateWording.quota(quotaStore.display, balance: fields?["balance"].flatMap { Int($0) }, rules: quota))
        }
        return lines
    }

    package func sharedWait() -> SharedWait? {
        guard let breakerStore, let snapshot = breakerStore.run(.read, []).flatMap(RedisReplies.snapshot),
              let state = RedisReplies.breaker(snapshot.fields), state.retryAfterUntil > snapshot.now else { return nil }
        return SharedWait(delay: .clampedSeconds(state.retryAfterUntil - snapshot.now), until: state.retryAfterUntil,
                          store: breakerStore.display)
    }

    package func shareRetryAfter(_ delay: Duration) {
        guard let breakerStore, delay > .zero else { return }
        _ = breakerStore.run(.breakerShareRetryAfter, [ms(delay), ms(RedisStoreLimits.idle)])
    }

    package func snapshot() throws(SharedStateError) -> StoreSnapshot {
        try snapshot(breakerScript: .read, [], quotaScript: .read, [])
    }

    package func reset() throws(SharedStateError) -> StoreSnapshot {
        try snapshot(breakerScript: .breakerReset, [ms(RedisStoreLimits.idle)],
                     quotaScript: .quotaReset, [String(quota.size), ms(RedisStoreLimits.idle)])
    }

    /// Runs the scripts (each answering as `read` does) on the stores there are.
    private func snapshot(breakerScript: RedisScript, _ breakerArguments: [String],
                          quotaScript: RedisScript, _ quotaArguments: [String]) throws(SharedStateError) -> StoreSnapshot {
        var snapshot = StoreSnapshot()
        if let breakerStore {
            let (now, fields) = try breakerStore.snapshot(breakerScript, breakerArguments)
            snapshot.breaker = .init(store: breakerStore.display, state: RedisReplies.breaker(fields),
                                     trialHolder: RedisReplies.trialHolder(fields, now: now), now: now)
        }
        if let quotaStore {
            let (now, fields) = try quotaStore.snapshot(quotaScript, quotaArguments)
            snapshot.quota = .init(store: quotaStore.display, state: RedisReplies.quota(fields), now: now)
        }
        return snapshot
    }

    private func ms(_ duration: Duration) -> String { String(duration.wholeMilliseconds) }
}
