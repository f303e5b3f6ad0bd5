/// How many attempts a run makes, and how long they may take.
package struct Limits: Equatable, Sendable {
    /// At most this many attempts, the first included; nil runs until success.
    package var maxAttempts: Int? = 5
    /// The limit of each attempt; nil for none.
    package var timeout: Duration?
    /// Grace between SIGTERM and SIGKILL when an attempt is torn down.
    package var killAfter: Duration = .seconds(5)
    /// The limit of the whole run, sleeps included; nil for none.
    package var budget: Duration?

    package init() {}
}
