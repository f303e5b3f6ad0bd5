/// The breaker's and quota's state as an operator reads it (`--show-state`,
/// `--reset-state`), from a state file or Redis.
package struct StoreSnapshot: Equatable, Sendable {
    package struct Breaker: Equatable, Sendable {
        /// The file's path or the Redis URL without password.
        package var store: String
        /// nil: the store holds no state yet (a closed breaker).
        package var state: BreakerState?
        /// Who holds a half-open trial, in words: a pid, or a Redis lease
        /// token and when it ends; nil when no trial is under way.
        package var trialHolder: String?
        /// The store's clock (the host's for a file, the server's for Redis).
        package var now: Double

        package init(store: String, state: BreakerState?, trialHolder: String?, now: Double) {
            self.store = store
            self.state = state
            self.trialHolder = trialHolder
            self.now = now
        }
    }

    package struct Quota: Equatable, Sendable {
        package var store: String
        /// nil: the store holds no state yet (a full bucket).
        package var state: QuotaState?
        package var now: Double

        package init(store: String, state: QuotaState?, now: Double) {
            self.store = store
            self.state = state
            self.now = now
        }
    }

    package struct Pace: Equatable, Sendable {
        package var store: String
        /// nil: the store holds no state yet (no hold, a slot free now).
        package var state: PaceState?
        package var now: Double

        package init(store: String, state: PaceState?, now: Double) {
            self.store = store
            self.state = state
            self.now = now
        }
    }

    package var breaker: Breaker?
    package var quota: Quota?
    package var pace: Pace?

    package init(breaker: Breaker? = nil, quota: Quota? = nil, pace: Pace? = nil) {
        self.breaker = breaker
        self.quota = quota
        self.pace = pace
    }
}
