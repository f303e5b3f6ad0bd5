/// What paying for a retry came to.
package enum RetryPayment: Equatable, Sendable {
    /// Taken from the quota; refunded if the run then succeeds.
    case paid(Int)
    /// No quota, or its file could not be used: the retry goes ahead free.
    case free
    /// The quota cannot pay: no retry.
    case refused
}
