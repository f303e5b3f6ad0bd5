/// What `--reset-state` leaves, the same in a file and in Redis
/// (`RedisScript.breakerReset`, `.quotaReset`): the totals are history and
/// are kept; everything that holds runs back is cleared.
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
