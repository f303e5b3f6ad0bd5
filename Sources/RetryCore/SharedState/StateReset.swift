/// What `--reset-state` leaves, the same in a file and in Redis
/// (`RedisScript.breakerReset`, `.quotaReset`, `.paceReset`): the totals
/// are history and are kept; everything that holds runs back is cleared.
extension CircuitBreaker {
    /// Closed, no failure in a row, no trial, no shared Retry-After.
    package static func reset(_ state: BreakerState) -> BreakerState {
        var closed = state
        closed.phase = .closed
        closed.consecutiveFailures = 0
        closed.retryAt = 0
        closed.retryAfterUntil = 0
        closed.trial = nil
        return closed
    }
}

extension RetryQuota {
    /// A full bucket of `size` tokens.
    package static func refilled(_ state: QuotaState, size: Int) -> QuotaState {
        var full = state
        full.balance = size
        return full
    }
}

extension Pacer {
    /// No hold, and the next slot free at `now` at the latest; the learned
    /// rate is the server's limit, not a fault, and is kept.
    package static func reset(_ state: PaceState, now: Double) -> PaceState {
        var free = state
        free.hold = 0
        free.nextSlot = min(state.nextSlot, now)
        return free
    }
}
