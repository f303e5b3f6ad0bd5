/// A slot the pacer gave, or refused.
package enum PaceTicket: Equatable, Sendable {
    /// Sleep `wait`, then start the attempt; `slot` is the slot's moment in
    /// the store's clock (epoch seconds), for the JSON log.
    case wait(Duration, slot: Double)
    /// The next free slot is `wait` away: past the limit; none was taken.
    case pastLimit(Duration)

    /// The store's answer at `now` (its clock, seconds) as a ticket. The
    /// wait is rounded to the microsecond: epoch seconds in a `Double` are
    /// only that precise, and the stores keep slots to the millisecond.
    package init(_ slot: Pacer.Slot, now: Double) {
        func until(_ moment: Double) -> Duration { .microseconds(Int64(clamping: Int((max(0, min(moment - now, 1e12)) * 1e6).rounded()))) }
        switch slot {
        case .at(let moment): self = .wait(until(moment), slot: moment)
        case .pastLimit(let moment): self = .pastLimit(until(moment))
        }
    }
}
