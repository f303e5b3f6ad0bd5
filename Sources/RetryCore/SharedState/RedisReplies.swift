/// What the Redis scripts' replies mean, as the file store's types.
package enum RedisReplies {
    /// The admit script's `{kind, retry-at ms, now ms}`: the decision, and
    /// the server's time in seconds.
    package static func admission(_ reply: RESPValue) -> (CircuitBreaker.Admission, now: Double)? {
        guard case .array(let items?) = reply, items.count == 3, let kind = items[0].text,
              let retryAt = items[1].integer, let now = items[2].integer else { return nil }
        let seconds = Double(now) / 1000
        switch kind {
        case "allowed": return (.allowed, seconds)
        case "trial": return (.trial, seconds)
        case "busy": return (.rejected(retryAt: 0), seconds)
        case "open": return (.rejected(retryAt: Double(retryAt) / 1000), seconds)
        default: return nil
        }
    }

    /// The read script's `{now ms, {field, value, ...}}`.
    package static func snapshot(_ reply: RESPValue) -> (now: Double, fields: [String: String])? {
        guard case .array(let items?) = reply, items.count == 2, let now = items[0].integer,
              case .array(let flat?) = items[1], flat.count % 2 == 0 else { return nil }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: flat.count, by: 2) {
            guard let key = flat[index].text, let value = flat[index + 1].text else { return nil }
            fields[key] = value
        }
        return (Double(now) / 1000, fields)
    }

    /// The breaker's hash as the file's record (the lease left out: it is
    /// not a pid here); nil when the key does not exist.
    package static func breaker(_ fields: [String: String]) -> BreakerState? {
        guard !fields.isEmpty else { return nil }
        var state = BreakerState()
        state.phase = fields["phase"].flatMap(BreakerState.Phase.init(rawValue:)) ?? .closed
        state.consecutiveFailures = fields["consecutive-failures"].flatMap { Int($0) } ?? 0
        state.retryAt = fields["retry-at"].flatMap { Double($0) } ?? 0
        state.retryAfterUntil = fields["retry-after-until"].flatMap { Double($0) } ?? 0
        state.runs = fields["runs"].flatMap { Int($0) } ?? 0
        state.failedRuns = fields["failed-runs"].flatMap { Int($0) } ?? 0
        return state
    }

    /// The quota's hash as the file's record; nil when the key does not exist.
    package static func quota(_ fields: [String: String]) -> QuotaState? {
        guard !fields.isEmpty else { return nil }
        var state = QuotaState(balance: fields["balance"].flatMap { Int($0) } ?? 0)
        state.retriesTaken = fields["retries-taken"].flatMap { Int($0) } ?? 0
        state.retriesRefused = fields["retries-refused"].flatMap { Int($0) } ?? 0
        state.tokensRefunded = fields["tokens-refunded"].flatMap { Int($0) } ?? 0
        state.refilledAt = fields["refilled-at"].flatMap { Double($0) } ?? 0
        state.tokensRefilled = fields["tokens-refilled"].flatMap { Int($0) } ?? 0
        return state
    }

    /// Who holds the breaker's trial lease, and until when, if anyone does
    /// at `now` (the server's clock, seconds).
    package static func trialHolder(_ fields: [String: String], now: Double) -> String? {
        guard fields["phase"] == "half-open", let lease = fields["trial-lease"], !lease.isEmpty,
              let expires = fields["trial-expires"].flatMap(Double.init), expires > now else { return nil }
        return "\(lease) (its lease ends at \(Timestamp.utc(expires)) unless renewed)"
    }

    /// A cluster's redirection, `MOVED 3999 10.0.0.7:6380` or `ASK ...`:
    /// whether it is an ASK (a slot being moved), and the node. The host
    /// may be empty (the node did not announce one: the same host); an IPv6
    /// address comes without brackets, so the port is after the last colon.
    package static func redirection(_ message: String) -> (ask: Bool, host: String, port: UInt16)? {
        let words = message.split(separator: " ")
        guard words.count == 3, words[0] == "MOVED" || words[0] == "ASK", UInt16(words[1]) != nil,
              let colon = words[2].lastIndex(of: ":"), let port = UInt16(words[2][words[2].index(after: colon)...]), port > 0 else {
            return nil
        }
        var host = String(words[2][..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (words[0] == "ASK", host, port)
    }

    /// The take script's `{paid, balance}`, for a retry costing `cost`.
    package static func payment(_ reply: RESPValue, cost: Int) -> RetryPayment? {
        guard case .array(let items?) = reply, items.count == 2, let paid = items[0].integer else { return nil }
        return paid == 1 ? .paid(cost) : .refused
    }

    /// The pace take script's `{at|past, slot ms, now ms}`: the slot, and
    /// the server's time, in seconds.
    package static func paceSlot(_ reply: RESPValue) -> (Pacer.Slot, now: Double)? {
        guard case .array(let items?) = reply, items.count == 3, let kind = items[0].text,
              let slot = items[1].integer, let now = items[2].integer else { return nil }
        switch kind {
        case "at": return (.at(Double(slot) / 1000), Double(now) / 1000)
        case "past": return (.pastLimit(Double(slot) / 1000), Double(now) / 1000)
        default: return nil
        }
    }

    /// The pace hash as the file's record; nil when the key does not exist.
    package static func pace(_ fields: [String: String]) -> PaceState? {
        guard !fields.isEmpty else { return nil }
        var state = PaceState()
        state.nextSlot = fields["next-slot"].flatMap { Double($0) } ?? 0
        state.hold = fields["hold"].flatMap { Double($0) } ?? 0
        state.learnedRate = fields["rate"].flatMap { Double($0) } ?? 0
        state.rateCutAt = fields["rate-cut-at"].flatMap { Double($0) } ?? 0
        state.slots = fields["slots"].flatMap { Int($0) } ?? 0
        return state
    }
}
