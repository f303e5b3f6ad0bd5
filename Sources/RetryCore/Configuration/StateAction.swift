/// What an operator asks of the shared stores instead of a run.
package enum StateAction: Equatable, Sendable {
    /// `--show-state`: print the breaker's and quota's state, change nothing.
    case show
    /// `--reset-state`: close the breaker, fill the quota, clear any
    /// shared Retry-After, and say what it was.
    case reset
}
