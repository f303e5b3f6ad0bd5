/// Where the fleet pacer keeps its state (`--pace`): a state file or a
/// Redis key. Every step is atomic in the store and timed by the store's
/// clock; waits come back as durations from the store's now. A store that
/// cannot be used answers nil, and the run goes on unpaced (it said why once).
package protocol PaceStore: AnyObject {
    /// The store's name for messages: a path, or the URL without password.
    var display: String { get }
    /// Takes the next free slot unless it is `limit` or more from now.
    func takeSlot(within limit: Duration?) -> PaceTicket?
    /// A server asked for no request for `delay` from now (a throttle:
    /// without `--rate` it also cuts the learned rate, `Pacer.throttled`).
    func hold(for delay: Duration)
    /// A run succeeded: without `--rate` the learned rate rises
    /// (`Pacer.succeeded`).
    func succeeded()
    /// How long the hold still lasts; nil or zero when it is over.
    func holdRemaining() -> Duration?
    /// The state in words, changing nothing (`--verbose`, `--dry-run`).
    func describe() -> [String]
    /// The state for an operator (`--show-state`); throws when the store
    /// cannot be read.
    func snapshot() throws(SharedStateError) -> StoreSnapshot.Pace
    /// Clears the hold and frees the next slot (`--reset-state`, see
    /// `Pacer.reset`); returns the state it replaced.
    func reset() throws(SharedStateError) -> StoreSnapshot.Pace
}
