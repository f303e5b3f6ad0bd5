/// The fleet pacer's rules (`--pace`), as pure steps on a `PaceState`: the
/// Generic Cell Rate Algorithm with one stored time. A run takes the next
/// free slot, `slot = max(now, next slot, hold)`, and moves the next slot
/// on by one interval, `1/rate`; runs that share the store therefore start
/// attempts no faster than the rate, in the order they asked, each sleeping
/// until its own slot instead of all retrying at once. A server's
/// Retry-After holds every slot back until it ends. The same steps run in
/// Lua for Redis (`RedisScript.paceTake`, `.paceHold`); `PaceScenarioTests`
/// hold both to one table.
package struct Pacer: Equatable, Sendable {
    /// `--rate`; nil: the rate learned from throttles (none until the first).
    package var rate: PaceRate?

    package init(rate: PaceRate? = nil) {
        self.rate = rate
    }

    /// What asking for a slot came to.
    package enum Slot: Equatable, Sendable {
        /// The slot, in the store's seconds; the caller sleeps until it.
        case at(Double)
        /// The next free slot is after the latest moment the caller can
        /// use; nothing was taken.
        case pastLimit(Double)
    }

    /// The interval between slots, seconds: from `--rate`, else from the
    /// learned rate, else 0 (no limit, only the hold).
    package func interval(_ state: PaceState) -> Double {
        if let rate { return rate.interval }
        return state.learnedRate > 0 ? 1 / state.learnedRate : 0
    }

    /// Takes the next free slot at `now`, unless it falls after `latest`
    /// (the end of the caller's `--budget`), in which case the state is
    /// left as it was, so the slot stays free for another run.
    package func take(_ state: inout PaceState, now: Double, latest: Double? = nil) -> Slot {
        let slot = max(now, state.nextSlot, state.hold)
        if let latest, slot > latest { return .pastLimit(slot) }
        state.nextSlot = slot + interval(state)
        StateLimits.countOn(&state.slots)
        return .at(slot)
    }

    /// A server asked, at `now`, for no request before `delay` seconds
    /// from now: the hold moves there (a later one already held is kept),
    /// and the next slot with it, so the runs waiting leave one slot apart
    /// from the hold on, not together at it.
    package func hold(_ state: inout PaceState, now: Double, delay: Double) {
        state.hold = max(state.hold, now + max(0, delay))
        state.nextSlot = max(state.nextSlot, state.hold)
    }

    /// A server throttled a run at `now` for `delay` seconds: the hold,
    /// and without `--rate` the learned rate's cut (`LearnedRate.cut`).
    package func throttled(_ state: inout PaceState, now: Double, delay: Double) {
        hold(&state, now: now, delay: delay)
        if rate == nil { LearnedRate.cut(&state, now: now, delay: delay) }
    }

    /// A run succeeded: without `--rate` the learned rate rises
    /// (`LearnedRate.recover`); with it, nothing changes.
    package func succeeded(_ state: inout PaceState) {
        if rate == nil { LearnedRate.recover(&state) }
    }
}
