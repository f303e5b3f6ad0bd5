extension RetryDecision {
    /// The decision once a server's Retry-After shared through the breaker
    /// is taken into account: a retry due before the shared moment waits
    /// for it instead, plus a random spread (`RetryAfterWait`, drawn with
    /// `unit`), so that the runs held back do not all wake at that moment;
    /// it gives up if the moment itself would reach the budget. Anything but
    /// a retry, or a shorter shared wait, is left as it is.
    package func waiting(for shared: SharedWait, status: ExitStatus, now: Duration, budgetEnd: Duration?,
                        budget: Duration, unit: Double) -> RetryDecision {
        guard case .retry(let delay, _) = next, shared.delay > delay else { return self }
        if let budgetEnd, now + shared.delay >= budgetEnd {
            let notes = notes + [.note(SharedStateWording.sharedWait(shared, waiting: shared.delay))]
            return RetryDecision(next: .stop(status, .budgetWouldPass(budget, delay: shared.delay)), notes: notes)
        }
        let wait = RetryAfterWait.delay(asked: shared.delay, ceiling: DurationText.maximum,
                                        room: budgetEnd.map { $0 - now }, unit: unit)
        let notes = notes + [.note(SharedStateWording.sharedWait(shared, waiting: wait))]
        return RetryDecision(next: .retry(after: wait, because: .sharedRetryAfter), notes: notes)
    }
}
