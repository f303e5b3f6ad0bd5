/// What `--show-state` and `--reset-state` print, in lines for people or
/// one JSON object per store (`--log-format json`).
package enum StateReport {
    /// The state: one line (or object) per store.
    package static func show(_ snapshot: StoreSnapshot, rules: SharedStateSettings, format: LogFormat) -> String {
        var lines: [String] = []
        if let breaker = snapshot.breaker {
            lines.append(format == .json ? object(breaker, rules: rules.breaker, event: "store-state").encoded
                                          : breakerLine(breaker, rules: rules.breaker))
        }
        if let quota = snapshot.quota {
            lines.append(format == .json ? object(quota, rules: rules.quota, event: "store-state").encoded
                                          : quotaLine(quota, rules: rules.quota))
        }
        if let pace = snapshot.pace {
            lines.append(format == .json ? object(pace, rules: rules.pacer, event: "store-state").encoded
                                         : paceLine(pace, rules: rules.pacer))
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The confirmation of a reset, with the state it replaced.
    package static func reset(before snapshot: StoreSnapshot, rules: SharedStateSettings, format: LogFormat) -> String {
        var lines: [String] = []
        if let breaker = snapshot.breaker {
            if format == .json {
                var after = breaker
                after.state = breaker.state.map(CircuitBreaker.reset)
                after.trialHolder = nil
                lines.append(object(after, rules: rules.breaker, event: "store-reset",
                                    before: object(breaker, rules: rules.breaker, event: nil)).encoded)
            } else if let state = breaker.state {
                lines.append("breaker \(breaker.store): reset to closed; it was \(breakerSummary(state, breaker, rules: rules.breaker))")
            } else {
                lines.append("breaker \(breaker.store): no state yet, so closed already; nothing to reset")
            }
        }
        if let quota = snapshot.quota {
            let size = rules.quota.size
            if format == .json {
                var after = quota
                after.state = quota.state.map { RetryQuota.refilled($0, size: size) }
                lines.append(object(after, rules: rules.quota, event: "store-reset",
                                    before: object(quota, rules: rules.quota, event: nil)).encoded)
            } else if let state = quota.state {
                lines.append("quota \(quota.store): refilled to \(size) of \(size) tokens; it had \(min(state.balance, size))")
            } else {
                lines.append("quota \(quota.store): no state yet, so full already; nothing to reset")
            }
        }
        if let pace = snapshot.pace {
            if format == .json {
                var after = pace
                after.state = pace.state.map { Pacer.reset($0, now: pace.now) }
                lines.append(object(after, rules: rules.pacer, event: "store-reset",
                                    before: object(pace, rules: rules.pacer, event: nil)).encoded)
            } else if let state = pace.state {
                var was: [String] = []
                if state.hold > pace.now { was.append("a Retry-After hold until \(Timestamp.utc(state.hold))") }
                if state.nextSlot > pace.now { was.append("the next free slot in \(DurationText.format(.clampedSeconds(state.nextSlot - pace.now)))") }
                lines.append("pace \(pace.store): reset: no hold, a slot free now; it had " + (was.isEmpty ? "neither" : was.joined(separator: " and ")))
            } else {
                lines.append("pace \(pace.store): no state yet, so free already; nothing to reset")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func paceLine(_ pace: StoreSnapshot.Pace, rules: Pacer) -> String {
        let line = PaceWording.describe(pace.store, pace.state, rules: rules, now: pace.now)
        guard let state = pace.state else { return line }
        return line + "; \(state.slots) slot\(state.slots == 1 ? "" : "s") given"
    }

    private static func object(_ pace: StoreSnapshot.Pace, rules: Pacer, event: String?, before: JSONValue? = nil) -> JSONValue {
        let state = pace.state ?? PaceState()
        var fields: [(String, JSONValue)] = event.map { [("event", .string($0)), ("time", .string(JSONReporter.iso8601(pace.now)))] } ?? []
        fields += [
            ("store", "pace"), ("location", .string(pace.store)), ("exists", .bool(pace.state != nil)),
            ("rate", rules.rate.map { .string($0.description) } ?? .null),
            ("learned_rate_per_s", .number(state.learnedRate)),
            ("next_slot_at", state.nextSlot > pace.now ? .string(JSONReporter.iso8601(state.nextSlot)) : .null),
            ("hold_until", state.hold > pace.now ? .string(JSONReporter.iso8601(state.hold)) : .null),
            ("slots", .integer(Int64(state.slots))),
        ]
        if let before { fields.append(("before", before)) }
        return .object(fields)
    }

    private static func breakerLine(_ breaker: StoreSnapshot.Breaker, rules: CircuitBreaker) -> String {
        var line = SharedStateWording.breaker(breaker.store, breaker.state, rules: rules, now: breaker.now)
        if let holder = breaker.trialHolder { line += "; the trial run is \(holder)" }
        if let state = breaker.state { line += "; \(runs(state.runs)) recorded, \(state.failedRuns) failed" }
        return line
    }

    private static func breakerSummary(_ state: BreakerState, _ breaker: StoreSnapshot.Breaker, rules: CircuitBreaker) -> String {
        let failures = state.consecutiveFailures
        var text = "\(state.phase.rawValue), \(failures) failed run\(failures == 1 ? "" : "s") in a row"
        if state.phase == .open, state.retryAt > breaker.now { text += ", next trial at \(Timestamp.utc(state.retryAt))" }
        if let holder = breaker.trialHolder { text += ", the trial run \(holder)" }
        if state.retryAfterUntil > breaker.now { text += ", a Retry-After holding attempts until \(Timestamp.utc(state.retryAfterUntil))" }
        return text
    }

    /// `1 run`, `2 runs`.
    private static func runs(_ count: Int) -> String { "\(count) run\(count == 1 ? "" : "s")" }

    private static func quotaLine(_ quota: StoreSnapshot.Quota, rules: RetryQuota) -> String {
        var line = SharedStateWording.quota(quota.store, balance: quota.state?.balance, rules: rules)
        if let state = quota.state {
            line += "; \(state.retriesTaken) retries taken, \(state.retriesRefused) refused, \(state.tokensRefunded) tokens refunded"
        } else {
            line += "; no state yet"
        }
        return line
    }

    private static func object(_ breaker: StoreSnapshot.Breaker, rules: CircuitBreaker, event: String?,
                               before: JSONValue? = nil) -> JSONValue {
        let state = breaker.state ?? BreakerState()
        var fields: [(String, JSONValue)] = event.map { [("event", .string($0)), ("time", .string(JSONReporter.iso8601(breaker.now)))] } ?? []
        fields += [
            ("store", "breaker"), ("location", .string(breaker.store)), ("exists", .bool(breaker.state != nil)),
            ("phase", .string(state.phase.rawValue)), ("consecutive_failures", .integer(Int64(state.consecutiveFailures))),
            ("threshold", .integer(Int64(rules.threshold))),
            ("next_trial_at", state.phase == .open ? .string(JSONReporter.iso8601(state.retryAt)) : .null),
            ("trial_holder", breaker.trialHolder.map(JSONValue.string) ?? .null),
            ("retry_after_until", state.retryAfterUntil > breaker.now ? .string(JSONReporter.iso8601(state.retryAfterUntil)) : .null),
            ("runs", .integer(Int64(state.runs))), ("failed_runs", .integer(Int64(state.failedRuns))),
        ]
        if let before { fields.append(("before", before)) }
        return .object(fields)
    }

    private static func object(_ quota: StoreSnapshot.Quota, rules: RetryQuota, event: String?,
                               before: JSONValue? = nil) -> JSONValue {
        let state = quota.state ?? QuotaState(balance: rules.size)
        var fields: [(String, JSONValue)] = event.map { [("event", .string($0)), ("time", .string(JSONReporter.iso8601(quota.now)))] } ?? []
        fields += [
            ("store", "quota"), ("location", .string(quota.store)), ("exists", .bool(quota.state != nil)),
            ("tokens", .integer(Int64(min(state.balance, rules.size)))), ("size", .integer(Int64(rules.size))),
            ("retries_taken", .integer(Int64(state.retriesTaken))), ("retries_refused", .integer(Int64(state.retriesRefused))),
            ("tokens_refunded", .integer(Int64(state.tokensRefunded))),
        ]
        if let before { fields.append(("before", before)) }
        return .object(fields)
    }
}
