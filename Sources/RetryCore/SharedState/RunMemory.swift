/// What a run remembers across runs: the circuit breaker and the retry
/// quota. The real one keeps them in state files; tests use one in memory.
package protocol RunMemory {
    /// Before the first attempt: whether the run may go ahead.
    func admit() -> MemoryAdmission
    /// Before each retry: pays for it from the quota.
    func payForRetry(afterTimeout: Bool) -> RetryPayment
    /// At the end of an admitted run; `lastRetryCost` is what the last paid
    /// retry cost, nil when none was paid.
    func finish(_ verdict: RunVerdict, lastRetryCost: Int?)
    /// The state in words, changing nothing (`--verbose`, `--dry-run`).
    func describe() -> [String]
    /// A server's Retry-After recorded in the breaker by any run that still
    /// holds attempts back; nil when none does (or there is no breaker).
    func sharedWait() -> SharedWait?
    /// Records in the breaker that a server asked for no attempt before
    /// `delay` from now; a later moment already recorded is kept.
    func shareRetryAfter(_ delay: Duration)
    /// The stores' state for an operator (`--show-state`); a store that
    /// cannot be read throws.
    func snapshot() throws(SharedStateError) -> StoreSnapshot
    /// Closes the breaker and fills the quota (`--reset-state`, see
    /// `CircuitBreaker.reset`); returns the state it replaced.
    func reset() throws(SharedStateError) -> StoreSnapshot
}
