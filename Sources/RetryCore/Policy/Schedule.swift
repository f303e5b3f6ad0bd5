/// The table `--dry-run` prints: for each attempt, the delay before it and
/// the cumulative worst case, or with `--seed`, the exact delays.
package struct Schedule {
    package struct Row: Equatable {
        package let attempt: Int
        /// The delay before this attempt; nil for the first.
        package let delay: ClosedRange<Duration>?
        /// The most time spent sleeping up to this attempt.
        package let total: Duration
    }

    package let rows: [Row]
    /// Attempts beyond the printed rows (nil: none, or no limit).
    package let omitted: Int?
    /// The worst-case sleep of the whole run; nil with no attempt limit.
    package let worstCase: Duration?
    let configuration: Configuration

    /// Rows printed at most; a run without a limit, or a huge one, is
    /// summarised after this.
    static let rowLimit = 30
    /// How far the worst case is summed delay by delay before the remaining
    /// delays are bounded by the cap.
    static let summedLimit = 100_000

    package init(_ configuration: Configuration) {
        self.configuration = configuration
        let backoff = configuration.backoff
        var random = configuration.seed.map { SplitMix64(seed: $0) }
        var previous: Duration?
        // The stagger is drawn first, as the run draws it, so that a seed
        // gives the delays the run will sleep.
        let stagger = Self.stagger(backoff, random: &random)
        var total = stagger?.upperBound ?? .zero
        var rows = [Row(attempt: 1, delay: stagger, total: total)]
        let attempts = configuration.limits.maxAttempts ?? Self.rowLimit
        for attempt in 2...max(2, min(attempts, Self.rowLimit)) where attempt <= attempts {
            let range: ClosedRange<Duration>
            if random != nil {
                let delay = backoff.delay(after: attempt - 1, previous: previous, using: &random!)
                range = delay...delay
                previous = delay
            } else {
                range = backoff.bounds(after: attempt - 1)
            }
            total += range.upperBound
            rows.append(Row(attempt: attempt, delay: range, total: total))
        }
        self.rows = rows
        guard let limit = configuration.limits.maxAttempts else {
            omitted = nil
            worstCase = nil
            return
        }
        omitted = limit > rows.count ? limit - rows.count : nil
        worstCase = omitted == nil ? total : Self.worstCase(backoff, attempts: limit) + (stagger?.upperBound ?? .zero)
    }

    /// The wait before the first attempt: exact with a generator, else its
    /// range; nil without `--stagger`.
    private static func stagger(_ backoff: Backoff, random: inout SplitMix64?) -> ClosedRange<Duration>? {
        guard backoff.stagger > .zero else { return nil }
        guard random != nil else { return .zero...backoff.stagger }
        let delay = backoff.staggerDelay(using: &random!)
        return delay...delay
    }

    /// The worst case of a run longer than the table: each delay's maximum
    /// summed until it reaches the cap (no strategy's maximum ever falls
    /// again), then the cap for every delay left; past `summedLimit` delays
    /// the cap bounds the rest.
    private static func worstCase(_ backoff: Backoff, attempts: Int) -> Duration {
        var total = 0.0
        var failures = 1
        let delays = attempts - 1
        while failures <= min(delays, summedLimit) {
            let most = backoff.bounds(after: failures).upperBound
            if most == backoff.cap { break }
            total += most.seconds
            failures += 1
        }
        total += Double(delays - failures + 1) * backoff.cap.seconds
        return .seconds(min(total, 1e15))
    }

    /// What a response's Retry-After does to the delays below (`--http`).
    static func retryAfterLine(_ ceiling: Duration) -> String {
        let percent = DecimalFormat.trimmed(RetryAfterWait.spread * 100)
        return "with --http, a response's Retry-After R replaces the delay (reason retry-after): R plus a random spread of 0 to \(percent)% of R (or to the delay below before jitter, when longer), at most the --max-retry-after of \(DurationText.format(ceiling))"
    }

    /// The table as text, with a heading that repeats the policy.
    package func render() -> String {
        let backoff = configuration.backoff
        var heading = "strategy \(backoff.strategy.rawValue), base \(DurationText.format(backoff.base))"
        if backoff.strategy == .exponential { heading += ", multiplier \(DecimalFormat.trimmed(backoff.multiplier))" }
        heading += ", cap \(DurationText.format(backoff.cap)), jitter \(backoff.jitter)"
        if let seed = configuration.seed { heading += ", seed \(seed)" }
        if backoff.stagger > .zero { heading += ", stagger below \(DurationText.format(backoff.stagger))" }
        heading += configuration.limits.maxAttempts.map { ", at most \($0) attempt" + ($0 == 1 ? "" : "s") } ?? ", no attempt limit"
        if let timeout = configuration.limits.timeout { heading += ", each at most \(DurationText.format(timeout))" }
        if let budget = configuration.limits.budget { heading += ", all within \(DurationText.format(budget))" }
        let seeded = configuration.seed != nil
        var lines = [heading, Jitter.explanation(backoff.jitter, strategy: backoff.strategy)]
        if configuration.watch.http { lines.append(Self.retryAfterLine(configuration.policy.maxRetryAfter)) }
        lines.append("")
        let header = ["attempt", seeded ? "delay" : "delay before it", seeded ? "total slept" : "total, worst case"]
        var table = [header]
        for row in rows {
            let delay = row.delay.map { range in
                range.lowerBound == range.upperBound
                    ? DurationText.format(range.lowerBound)
                    : DurationText.format(range.lowerBound) + " to " + DurationText.format(range.upperBound)
            } ?? "-"
            table.append(["\(row.attempt)", delay, DurationText.format(row.total)])
        }
        let widths = (0..<3).map { column in table.map { $0[column].count }.max()! }
        for cells in table {
            let line = cells.enumerated().map { column, cell in
                column == 0 ? String(repeating: " ", count: widths[0] - cell.count) + cell : cell.padding(toLength: widths[column])
            }.joined(separator: "  ")
            lines.append(line.trimmingTrailingSpaces())
        }
        if let omitted {
            lines.append("... and \(omitted) more attempts; total, worst case: \(DurationText.format(worstCase!))")
        } else if configuration.limits.maxAttempts == nil {
            lines.append("... and so on without limit, each delay at most \(DurationText.format(backoff.cap))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
