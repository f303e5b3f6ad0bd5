/// What the pacer says, whichever store keeps it.
package enum PaceWording {
    /// The pacer's line for `--verbose` and `--dry-run`; `state` is nil
    /// when the store holds none yet.
    package static func describe(_ store: String, _ state: PaceState?, rules: Pacer, now: Double) -> String {
        let current = state ?? PaceState()
        var line = "pace \(store): "
        if let rate = rules.rate {
            line += "at most \(rate) (one slot every \(DurationText.format(.clampedSeconds(rate.interval))))"
        } else if current.learnedRate > 0 {
            line += "a learned rate of \(DecimalFormat.trimmed(current.learnedRate))/s"
        } else {
            line += "no rate until a server throttles"
        }
        if current.nextSlot > now {
            line += "; the next free slot is in \(DurationText.format(.clampedSeconds(current.nextSlot - now)))"
        }
        if current.hold > now {
            line += "; a server's Retry-After holds attempts until \(Timestamp.utc(current.hold))"
        }
        return state == nil ? line + ", no state yet" : line
    }
}
