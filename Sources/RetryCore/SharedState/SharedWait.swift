/// A Retry-After that another run recorded in the breaker and that still
/// holds attempts back.
package struct SharedWait: Equatable, Sendable {
    /// How long from now, by the store's clock.
    package let delay: Duration
    /// Its end, wall-clock seconds since the epoch (for messages).
    package let until: Double
    /// The breaker's file or Redis URL, for messages.
    package let store: String

    package init(delay: Duration, until: Double, store: String) {
        self.delay = delay
        self.until = until
        self.store = store
    }
}
