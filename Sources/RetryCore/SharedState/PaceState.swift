/// The fleet pacer's memory, as stored in its state file or Redis hash:
/// GCRA's one stored time (the next free slot, as redis-cell keeps its
/// "theoretical arrival time"), a server's hold, and the learned rate.
/// Times are wall-clock seconds since the epoch (Redis: its own clock).
///
///     retry-pace 1
///     next-slot 1795579925.120
///     hold 1795579930.000
///     rate 0.000
///     rate-cut-at 0.000
///     slots 42
package struct PaceState: Equatable, Sendable {
    /// The earliest moment the next slot may be given.
    package var nextSlot: Double = 0
    /// No slot before this: the latest moment a server's Retry-After asked for.
    package var hold: Double = 0
    /// The learned rate in slots per second when `--rate` is not given;
    /// 0 until the first throttle (no limit).
    package var learnedRate: Double = 0
    /// When the learned rate was last cut (it is cut at most once per R).
    package var rateCutAt: Double = 0
    /// Slots given in all, for people reading the store.
    package var slots = 0

    package init() {}
}

extension PaceState: StateRecord {
    package static let kind = "retry-pace"
    package static let version = 1

    package var fields: [(key: String, value: String)] {
        [("next-slot", format3(nextSlot)), ("hold", format3(hold)), ("rate", format3(learnedRate)),
         ("rate-cut-at", format3(rateCutAt)), ("slots", "\(slots)")]
    }

    package init(fields: [String: String]) throws(InvalidValue) {
        self.init()
        nextSlot = try fields.required("next-slot")
        hold = try fields.required("hold")
        learnedRate = try fields.required("rate")
        rateCutAt = try fields.required("rate-cut-at")
        slots = try fields.required("slots")
        guard [nextSlot, hold, rateCutAt].allSatisfy({ (0...StateLimits.time).contains($0) }),
              (0...1_000_000).contains(learnedRate), (0...StateLimits.count).contains(slots) else {
            throw InvalidValue("a time, rate or count is out of range")
        }
    }
}
