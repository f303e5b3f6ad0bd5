/// The steps of ending an attempt's process group, as a value: a first
/// signal (SIGTERM, or the signal `retry` received, already forwarded),
/// `--kill-after` of grace, then SIGKILL. The supervisor asks it what is due
/// and sends the signals itself, so the steps are tested in fake time.
struct Teardown: Equatable {
    enum Cause { case timeout, budget, signal }

    let cause: Cause
    /// When SIGKILL is due; nil once it has been sent.
    private(set) var deadline: Duration?

    /// The signal a teardown for `cause` opens with; nil when the signal
    /// that caused it has already reached the group.
    static func firstSignal(for cause: Cause) -> Int32? {
        cause == .signal ? nil : Signal.terminate
    }

    /// What follows `signal` at once: SIGCONT, so that a stopped process
    /// acts on it; nothing after SIGKILL or SIGCONT, which need none.
    static func followUp(after signal: Int32) -> Int32? {
        signal == Signal.kill || signal == Signal.continue ? nil : Signal.continue
    }

    /// Starts at `now`, with the first signal sent: SIGKILL is due after `grace`.
    init(cause: Cause, now: Duration, grace: Duration) {
        self.cause = cause
        deadline = now + grace
    }

    /// The last step: returns SIGKILL, to be sent now; nothing is due after it.
    mutating func escalate() -> Int32 {
        deadline = nil
        return Signal.kill
    }
}
