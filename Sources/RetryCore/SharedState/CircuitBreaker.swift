/// The circuit breaker's memory across runs, as stored in its state file.
public struct BreakerState: Equatable, Sendable {
    public enum Phase: String, Sendable {
        /// Runs go ahead.
        case closed
        /// Runs fail at once until `retryAt`.
        case open
        /// One trial run is under way (or may start); the others fail fast.
        case halfOpen = "half-open"
    }

    public var phase = Phase.closed
    /// Failed runs in a row.
    public var consecutiveFailures = 0
    /// Wall-clock seconds since the epoch when an open breaker lets a trial through.
    public var retryAt: Double = 0
    /// Wall-clock seconds since the epoch before which no run starts an
    /// attempt: the latest moment a server's Retry-After asked for.
    public var retryAfterUntil: Double = 0
    /// The run making the trial, if one is.
    public var trial: Lease?
    /// Totals, for people reading the file and for checking that no update is lost.
    public var runs = 0
    public var failedRuns = 0

    public init() {}

    /// Who holds the half-open trial: a pid, and the process's start time so
    /// that a reused pid is not mistaken for the holder.
    public struct Lease: Equatable, Sendable {
        public let pid: Int32
        public let processStart: UInt64

        public init(pid: Int32, processStart: UInt64) {
            self.pid = pid
            self.processStart = processStart
        }
    }
}

/// The breaker's rules: `threshold` failed runs in a row open it; after
/// `cooldown` one trial run is let through; its success closes the breaker,
/// its failure opens it again for a fresh cooldown.
public struct CircuitBreaker: Equatable, Sendable {
    public var threshold: Int
    public var cooldown: Duration

    public init(threshold: Int = 5, cooldown: Duration = .seconds(30)) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    public enum Admission: Equatable, Sendable {
        /// Run as usual.
        case allowed
        /// Run as the half-open trial; the lease is recorded.
        case trial
        /// Do not run; the next trial is allowed at this wall-clock time (0:
        /// when the running trial ends).
        case rejected(retryAt: Double)
    }

    /// Decides whether a run may start at wall-clock `now`; `holderAlive`
    /// says whether a recorded trial's process still runs.
    public func admit(_ state: inout BreakerState, now: Double, as lease: BreakerState.Lease,
                      holderAlive: (BreakerState.Lease) -> Bool) -> Admission {
        switch state.phase {
        case .closed:
            return .allowed
        case .open where now < state.retryAt:
            return .rejected(retryAt: state.retryAt)
        case .open, .halfOpen:
            if let holder = state.trial, holder != lease, holderAlive(holder) {
                return .rejected(retryAt: 0)
            }
            state.phase = .halfOpen
            state.trial = lease
            return .trial
        }
    }

    /// Records how an admitted run ended at wall-clock `now`. An interrupted
    /// run says nothing about the service: it only frees a trial lease.
    public func record(_ state: inout BreakerState, succeeded: Bool, interrupted: Bool, trial: Bool, now: Double) {
        if trial { state.trial = nil }
        guard !interrupted else { return }
        StateLimits.countOn(&state.runs)
        if succeeded {
            state.consecutiveFailures = 0
            if trial || state.phase == .closed { state.phase = .closed }
            return
        }
        StateLimits.countOn(&state.failedRuns)
        StateLimits.countOn(&state.consecutiveFailures)
        if trial || (state.phase == .closed && state.consecutiveFailures >= threshold) {
            state.phase = .open
            state.retryAt = now + cooldown.seconds
        }
    }
}
