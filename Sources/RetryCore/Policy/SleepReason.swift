/// Why a run sleeps before its next attempt, as `-v` and the JSON `sleep`
/// event's `reason` say.
package enum SleepReason: String, Equatable, Sendable {
    /// The backoff's delay.
    case backoff
    /// A server's Retry-After, with its spread.
    case retryAfter = "retry-after"
    /// A server's Retry-After that another run shared through the breaker.
    case sharedRetryAfter = "shared-retry-after"
}
