/// Which jitter a strategy gets when `--jitter` is not given, and the line
/// `--dry-run` prints to say which applies and why.
extension Jitter {
    /// The spread of the default for `constant` and `linear`.
    static let paceSpread = 0.2

    /// What a user of each strategy expects, with jitter always on:
    /// `constant` and `linear` keep the pace asked for, on average, and
    /// spread clients by ±20% (gRPC's figure; in `bench/herd_sim.py`, 100
    /// clients at a constant 1 s make 476 requests with it, 586 with ±10%,
    /// 501 with equal, 629 with full jitter, 762 with none); `exponential`
    /// takes full jitter (AWS's default, the fewest calls in Brooker's
    /// simulation); `decorrelated` is random by itself.
    package static func `default`(for strategy: Strategy) -> Jitter {
        switch strategy {
        case .constant, .linear: .proportional(paceSpread)
        case .exponential: .full
        case .decorrelated: .none
        }
    }

    /// One line: the jitter, why it applies, and what it does to a delay.
    package static func explanation(_ jitter: Jitter, strategy: Strategy) -> String {
        let why: String
        if strategy == .decorrelated {
            why = "decorrelated is random by itself"
        } else if jitter == .default(for: strategy) {
            why = "the default for \(strategy.rawValue)"
        } else {
            why = "from --jitter"
        }
        let effect = switch jitter {
        case .none: "clients started together retry together"
        case .full: "each delay drawn from 0 to its value"
        case .equal: "each delay drawn from half to all of its value"
        case .proportional(let p): "each delay its value ±\(DecimalFormat.trimmed(p * 100))%, at random"
        }
        return "jitter \(jitter) (\(why)): \(strategy == .decorrelated ? "no further jitter" : effect)"
    }
}
