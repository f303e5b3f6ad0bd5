/// A backoff policy as a value: given how many attempts have failed and the
/// previous delay, the next delay. Delays are computed in `Double` seconds,
/// clamped before any multiplication can overflow, and always land in
/// `0...cap`, finite.
package struct Backoff: Equatable, Sendable {
    package var strategy: Strategy
    package var base: Duration
    package var multiplier: Double
    package var cap: Duration
    package var jitter: Jitter
    /// The first attempt waits a random time in `0..<stagger` (`--stagger`).
    package var stagger: Duration = .zero

    package init(strategy: Strategy = .exponential, base: Duration = .seconds(1), multiplier: Double = 2,
                cap: Duration = .seconds(60), jitter: Jitter = .full) {
        self.strategy = strategy
        self.base = base
        self.multiplier = multiplier
        self.cap = cap
        self.jitter = jitter
    }

    /// The delay after the `failures`-th failed attempt (1 for the wait after
    /// the first). `previous` is the delay before that attempt, nil at first;
    /// only `decorrelated` uses it.
    package func delay(after failures: Int, previous: Duration?,
                      using random: inout some RandomNumberGenerator) -> Duration {
        // The last clamp is in `Duration`: a cap that is not a whole number
        // of nanoseconds in `Double` could otherwise be passed by rounding.
        min(self.cap, unclampedDelay(after: failures, previous: previous, using: &random))
    }

    private func unclampedDelay(after failures: Int, previous: Duration?,
                                using random: inout some RandomNumberGenerator) -> Duration {
        let cap = cap.seconds
        if strategy == .decorrelated {
            let base = base.seconds
            // AWS's formula: draw in [base, 3·previous], then cap, so that
            // near the cap most draws land on it (not spread below it).
            let high = max(base, (previous ?? self.base).seconds * 3)
            return .clampedSeconds(min(cap, base + (high - base) * random.nextUnit()))
        }
        let t = nominal(after: failures)
        return .clampedSeconds(min(cap, jitter.apply(to: t, unit: random.nextUnit())))
    }

    /// The capped delay before jitter, in seconds, for the deterministic
    /// strategies.
    func nominal(after failures: Int) -> Double {
        let base = base.seconds, cap = cap.seconds
        let n = Double(max(failures, 1))
        guard base > 0 else { return 0 }
        switch strategy {
        case .constant, .decorrelated:
            return min(cap, base)
        case .linear:
            return min(cap, base * n)
        case .exponential:
            // multiplier^(n-1) by squaring, given up once it reaches
            // cap/base: it would overflow long before n reaches 10^9.
            guard cap > base else { return cap }
            guard let growth = Self.power(multiplier, max(failures, 1) - 1, below: cap / base) else { return cap }
            return min(cap, base * growth)
        }
    }

    /// The least and the most the delay after the `failures`-th failure can
    /// be, whatever the random numbers; for `--dry-run`.
    /// The wait before the first attempt, uniform in `0..<stagger`. Draws
    /// from `random` only when there is a stagger, so that a seeded schedule
    /// without one is what it was before `--stagger` existed.
    package func staggerDelay(using random: inout some RandomNumberGenerator) -> Duration {
        guard stagger > .zero else { return .zero }
        return .seconds(stagger.seconds * random.nextUnit())
    }

    package func bounds(after failures: Int) -> ClosedRange<Duration> {
        let range = unclampedBounds(after: failures)
        return min(cap, range.lowerBound)...min(cap, range.upperBound)
    }

    private func unclampedBounds(after failures: Int) -> ClosedRange<Duration> {
        let cap = cap.seconds
        if strategy == .decorrelated {
            // The widest case: every earlier delay drew its maximum, base * 3^n.
            let base = base.seconds
            guard base > 0, cap > base else { return Duration.clampedSeconds(min(cap, base))...Duration.clampedSeconds(min(cap, base)) }
            let high = Self.power(3, max(failures, 1), below: cap / base).map { base * $0 } ?? cap
            return Duration.clampedSeconds(base)...Duration.clampedSeconds(min(cap, high))
        }
        let t = nominal(after: failures)
        let low = min(cap, jitter.apply(to: t, unit: 0))
        let high = min(cap, jitter.apply(to: t, unit: 1))
        return Duration.clampedSeconds(low)...Duration.clampedSeconds(high)
    }
    /// `x` to the whole power `exponent`, by squaring (at most 2·64 rounded
    /// multiplications), or nil as soon as it is known to be `limit` or
    /// more. `x` is at least 0 and `limit` more than 1.
    static func power(_ x: Double, _ exponent: Int, below limit: Double) -> Double? {
        var result = 1.0, square = x, exponent = exponent
        while exponent > 0 {
            if exponent & 1 == 1 {
                result *= square
                // Factors are all at least 1 or all below 1: once past `limit`, it stays.
                if result >= limit { return nil }
            }
            exponent >>= 1
            if exponent > 0 { square *= square }
        }
        return result
    }
}
