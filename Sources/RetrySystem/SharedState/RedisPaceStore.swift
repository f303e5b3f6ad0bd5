import RetryCore

/// The fleet pacer kept in Redis, for runs on many hosts: each step is one
/// Lua script (`RedisScript.paceTake`, `.paceHold`), atomic on the server
/// and timed by its clock, so hosts with skewed clocks share one schedule.
/// When Redis cannot be reached within its limits the run goes on unpaced,
/// saying so once.
package final class RedisPaceStore: PaceStore {
    private let store: RedisStore
    private let pacer: Pacer

    package init(_ configuration: Configuration, url: String, environment: [String: String],
                warn: @escaping (String) -> Void) throws(SharedStateError) {
        var location: RedisLocation
        do {
            location = try RedisLocation.parse(url, environmentPassword: environment["REDISCLI_AUTH"])
            if location.tls { location.caFile = configuration.sharedState.redisCAFile }
        } catch {
            throw .refused("--pace: \(error.reason)")
        }
        store = RedisStore(location: location, server: RedisServer(location, warn: warn))
        pacer = configuration.sharedState.pacer
    }

    package var display: String { store.display }

    package func takeSlot(within limit: Duration?) -> PaceTicket? {
        let interval = pacer.rate.map { String($0.interval * 1000) } ?? "0"
        let latest = limit.map { String($0.wholeMilliseconds) } ?? "-1"
        guard let reply = store.run(.paceTake, [interval, latest, ms(RedisStoreLimits.idle)]),
              let (slot, now) = RedisReplies.paceSlot(reply) else { return nil }
        return PaceTicket(slot, now: now)
    }

    package func hold(for delay: Duration) {
        _ = store.run(.paceHold, [ms(delay), ms(RedisStoreLimits.idle), pacer.rate == nil ? "1" : "0"])
    }

    package func succeeded() {
        guard pacer.rate == nil else { return }
        _ = store.run(.paceRecover, [ms(RedisStoreLimits.idle)])
    }

    package func holdRemaining() -> Duration? {
        guard let snapshot = store.run(.read, []).flatMap(RedisReplies.snapshot),
              let state = RedisReplies.pace(snapshot.fields) else { return nil }
        return .clampedSeconds(state.hold - snapshot.now)
    }

    package func describe() -> [String] {
        let snapshot = store.run(.read, []).flatMap(RedisReplies.snapshot)
        return [PaceWording.describe(store.display, snapshot.flatMap { RedisReplies.pace($0.fields) }, rules: pacer,
                                     now: snapshot?.now ?? 0)]
    }

    package func snapshot() throws(SharedStateError) -> StoreSnapshot.Pace {
        let (now, fields) = try store.snapshot(.read, [])
        return StoreSnapshot.Pace(store: store.display, state: RedisReplies.pace(fields), now: now)
    }

    package func reset() throws(SharedStateError) -> StoreSnapshot.Pace {
        let (now, fields) = try store.snapshot(.paceReset, [ms(RedisStoreLimits.idle)])
        return StoreSnapshot.Pace(store: store.display, state: RedisReplies.pace(fields), now: now)
    }

    private func ms(_ duration: Duration) -> String { String(duration.wholeMilliseconds) }
}
