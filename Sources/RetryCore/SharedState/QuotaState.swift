/// The retry quota's balance, as stored in its state file.
package struct QuotaState: Equatable, Sendable {
    package var balance: Int
    package var retriesTaken = 0
    package var retriesRefused = 0
    /// Tokens given back by successes (after the cap), so the balance can
    /// be checked against the counts.
    package var tokensRefunded = 0
    /// Wall-clock seconds up to which time has refilled the bucket; 0
    /// before the first use (a file from before refills).
    package var refilledAt: Double = 0
    /// Tokens time has added, so the balance can still be checked.
    package var tokensRefilled = 0

    package init(balance: Int) {
        self.balance = balance
    }
}
