/// A pace given by `--rate N/PERIOD`: at most N attempts per second, minute
/// or hour, across every run that shares the `--pace` store.
package struct PaceRate: Equatable, Sendable, CustomStringConvertible {
    package let count: Int
    /// The period's length in seconds: 1, 60 or 3600.
    package let period: Int

    package init(count: Int, period: Int) {
        self.count = count
        self.period = period
    }

    /// Slots per second.
    package var perSecond: Double { Double(count) / Double(period) }
    /// The time between two slots, in seconds.
    package var interval: Double { Double(period) / Double(count) }

    private static let periods: [(name: String, seconds: Int)] = [("s", 1), ("m", 60), ("h", 3600)]

    /// Parses `5/s`, `300/m`, `5000/h`.
    package static func parse(_ text: String) throws(InvalidValue) -> PaceRate {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let period = periods.first(where: { $0.name == parts[1] })?.seconds else {
            throw InvalidValue("expected N/s, N/m or N/h, like 5/s or 5000/h")
        }
        let count: Int
        do {
            count = try NumberText.positiveInteger(String(parts[0]))
        } catch {
            throw InvalidValue("the count before '/': \(error.reason)")
        }
        guard count <= 1_000_000 * period else { throw InvalidValue("too fast; the most is 1000000/s") }
        return PaceRate(count: count, period: period)
    }

    package var description: String {
        "\(count)/\(Self.periods.first { $0.seconds == period }?.name ?? "s")"
    }
}
