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
}

extension RunMemory {
    package func sharedWait() -> SharedWait? { nil }
    package func shareRetryAfter(_ delay: Duration) {}
}

/// What paying for a retry came to.
package enum RetryPayment: Equatable, Sendable {
    /// Taken from the quota; refunded if the run then succeeds.
    case paid(Int)
    /// No quota, or its file could not be used: the retry goes ahead free.
    case free
    /// The quota cannot pay: no retry.
    case refused
}

/// What a run says about the service it calls.
package enum RunVerdict: Equatable, Sendable {
    case succeeded
    case failed
    /// Nothing: the run was stopped by a signal, or the command could not
    /// even be started (a typo in a crontab is no outage). Only a trial
    /// lease is freed.
    case inconclusive
}

package enum MemoryAdmission: Equatable, Sendable {
    case proceed
    /// The breaker is open; the message says which file and until when.
    case rejected(String)
}

