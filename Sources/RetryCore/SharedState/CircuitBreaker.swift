/// The breaker's rules: `threshold` failed runs in a row open it; after
/// `cooldown` one trial run is let through; its success closes the breaker,
/// its failure opens it again for a fresh cooldown.
package struct CircuitBreaker: Equatable, Sendable {
    package var threshold: Int
    package var cooldown: Duration

    package init(threshold: Int = 5, cooldown: Duration = .seconds(30)) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    package enum Admission: Equatable, Sendable {
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
    package func admit(_ state: inout BreakerState, now: Double, as lease: BreakerState.Lease,
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
    package func record(_ state: inout BreakerState, succeeded: Bool, interrupted: Bool, trial: Bool, now: Double) {
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
