/// The circuit breaker's memory across runs, as stored in its state file.
package struct BreakerState: Equatable, Sendable {
    package enum Phase: String, Sendable {
        /// Runs go ahead.
        case closed
        /// Runs fail at once until `retryAt`.
        case open
        /// One trial run is under way (or may start); the others fail fast.
        case halfOpen = "half-open"
    }

    package var phase = Phase.closed
    /// Failed runs in a row.
    package var consecutiveFailures = 0
    /// Wall-clock seconds since the epoch when an open breaker lets a trial through.
    package var retryAt: Double = 0
    /// Wall-clock seconds since the epoch before which no run starts an
    /// attempt: the latest moment a server's Retry-After asked for.
    package var retryAfterUntil: Double = 0
    /// The run making the trial, if one is.
    package var trial: Lease?
    /// Totals, for people reading the file and for checking that no update is lost.
    package var runs = 0
    package var failedRuns = 0

    package init() {}

    /// Who holds the half-open trial: a pid, and the process's start time so
    /// that a reused pid is not mistaken for the holder.
    package struct Lease: Equatable, Sendable {
        package let pid: Int32
        package let processStart: UInt64

        package init(pid: Int32, processStart: UInt64) {
            self.pid = pid
            self.processStart = processStart
        }
    }
}
