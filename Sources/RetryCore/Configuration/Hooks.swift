/// The commands `retry` runs itself, with `/bin/sh -c`, around the attempts.
package struct Hooks: Equatable, Sendable {
    /// Run after a failed attempt when another follows, before the delay.
    package var beforeRetry: String?
    /// Run once when the run ends without success (not when stopped by a signal).
    package var onGiveUp: String?
    /// The limit of each hook; then its group is torn down like an attempt's.
    package var timeout: Duration = .seconds(30)

    package init() {}
}
