extension RetryDecision {
    /// The decision once a server's Retry-After shared through the breaker
    /// is taken into account: a retry due before the shared moment waits
    /// for it instead, and gives up if that wait would reach the budget.
    /// Anything but a retry, or a shorter shared wait, is left as it is.
    package func waiting(for shared: SharedWait, status: ExitStatus, now: Duration, budgetEnd: Duration?,
                        budget: Duration) -> RetryDecision {
        guard case .retry(let delay, _) = next, shared.delay > delay else { return self }
        let notes = notes + [.note(SharedStateWording.sharedWait(shared))]
        if let budgetEnd, now + shared.delay >= budgetEnd {
            return RetryDecision(next: .stop(status, .budgetWouldPass(budget, delay: shared.delay)), notes: notes)
        }
        return RetryDecision(next: .retry(after: shared.delay, because: .sharedRetryAfter), notes: notes)
    }
}
