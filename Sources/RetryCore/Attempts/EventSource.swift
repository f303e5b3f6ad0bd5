/// The one place the attempt loop blocks: it waits for the next event or a
/// deadline, which makes it the sleeper between attempts too. Injected so
/// tests run in fake time.
package protocol EventSource {
    /// The next event, or nil once the monotonic `deadline` has passed
    /// (never nil without a deadline).
    func next(until deadline: Duration?) -> Event?

    /// The first signal `retry` received, if any, whether or not `next`
    /// has returned it yet: a signal ends the run, so a step that cannot
    /// wait on events (draining output, a state-file lock) asks this.
    var receivedSignal: Int32? { get }
}
