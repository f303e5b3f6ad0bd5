/// The state files (or stores) that runs share, and their rules.
package struct SharedStateSettings: Equatable, Sendable {
    /// The circuit breaker's state file, and its rules.
    package var breakerPath: String?
    package var breaker = CircuitBreaker()
    /// The retry quota's state file, and its size.
    package var quotaPath: String?
    package var quota = RetryQuota()
    /// The CA file `rediss://` servers are verified against (`--redis-ca`);
    /// nil: the system's trust store.
    package var redisCAFile: String?
    /// The fleet pacer's state file or Redis URL (`--pace`), and its rules.
    package var pacePath: String?
    package var pacer = Pacer()
    /// `--show-state` or `--reset-state`: an operator's look at the stores
    /// (or reset of them) instead of a run.
    package var action: StateAction?

    package init() {}

    /// Whether the run uses any shared state at all.
    package var isUsed: Bool { breakerPath != nil || quotaPath != nil }
}
