/// What the breaker and quota say, whichever store keeps them (a state file
/// or Redis): `store` is the file's path or the Redis URL without password.
package enum SharedStateWording {
    /// The run's admission in words, from the breaker's decision at `now`
    /// (the store's clock).
    package static func admission(_ admission: CircuitBreaker.Admission, store: String, now: Double) -> MemoryAdmission {
        switch admission {
        case .allowed, .trial:
            return .proceed
        case .rejected(let retryAt) where retryAt == 0:
            return .rejected("the circuit breaker in \(store) is half-open and a trial run is under way; not running the command")
        case .rejected(let retryAt):
            let wait = DurationText.format(.clampedSeconds(retryAt - now))
            return .rejected("the circuit breaker in \(store) is open; the next trial is allowed at \(Timestamp.utc(retryAt)) (in \(wait)); not running the command")
        }
    }

    /// The breaker's line for `--verbose` and `--dry-run`; `state` is nil
    /// when the store holds none yet.
    package static func breaker(_ store: String, _ state: BreakerState?, rules: CircuitBreaker, now: Double) -> String {
        let current = state ?? BreakerState()
        let failures = current.consecutiveFailures
        var line = "breaker \(store): \(current.phase.rawValue), \(failures) failed run\(failures == 1 ? "" : "s") in a row"
        // Each run opens it at its own --breaker-threshold: once open, this
        // command's would mislead (a run with a lower one opened it).
        if current.phase == .closed { line += " (--breaker-threshold \(rules.threshold) opens it)" }
        if current.phase == .open {
            line += current.retryAt > now ? ", next trial at \(Timestamp.utc(current.retryAt))" : ", a trial is allowed now"
        }
        if current.retryAfterUntil > now {
            line += "; a server's Retry-After holds attempts until \(Timestamp.utc(current.retryAfterUntil)) (in \(DurationText.format(.clampedSeconds(current.retryAfterUntil - now))))"
        }
        return state == nil ? line + ", no state yet" : line
    }

    /// The quota's line for `--verbose` and `--dry-run`.
    package static func quota(_ store: String, balance: Int?, rules: RetryQuota) -> String {
        let balance = min(balance ?? rules.size, rules.size)
        return "quota \(store): \(balance) of \(rules.size) tokens; a retry costs \(RetryQuota.retryCost), \(RetryQuota.timeoutRetryCost) after a timeout"
    }

    /// A store that cannot be used now: the run goes on without it.
    package static func unavailable(_ store: String, _ reason: String) -> String {
        "\(store): \(reason); going on without it"
    }

    /// `--verbose`: the run waits `waiting` for a Retry-After another run
    /// recorded: until its end, plus a random spread when longer.
    package static func sharedWait(_ wait: SharedWait, waiting: Duration) -> String {
        let spread = waiting > wait.delay ? ", plus a random spread" : ""
        return "waiting \(DurationText.format(waiting)) for a server's Retry-After shared through the breaker in \(wait.store) (until \(Timestamp.utc(wait.until))\(spread))"
    }

    /// Why a run ends at once with status 75: the shared Retry-After ends
    /// past its `--budget`.
    package static func sharedWaitPastBudget(_ wait: SharedWait, budget: Duration) -> String {
        "a server's Retry-After shared through the breaker in \(wait.store) holds attempts until \(Timestamp.utc(wait.until)) (in \(DurationText.format(wait.delay))), past the --budget of \(DurationText.format(budget)); not running the command"
    }
}
