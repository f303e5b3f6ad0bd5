/// How the delay grows from one failed attempt to the next.
package enum Strategy: String, CaseIterable, Sendable {
    /// `base` every time.
    case constant
    /// `base * n`.
    case linear
    /// `base * multiplier^(n-1)`.
    case exponential
    /// `min(cap, uniform(base, previous * 3))`, random by construction.
    case decorrelated
}
