import RetryCore
import Dispatch
import Synchronization

/// The real `EventSource`: a mailbox that the launcher's exit watchers and
/// the signal relay post to from their threads, and the main thread waits on.
public final class SystemEvents: EventSource, Sendable {
    private let queue = Mutex<[Event]>([])
    private let available = DispatchSemaphore(value: 0)
    private let clock: SystemClock

    public init(clock: SystemClock = SystemClock()) {
        self.clock = clock
    }

    /// Delivers `event` to the waiter; safe from any thread (not from a
    /// signal handler: the relay's thread posts for it).
    public func post(_ event: Event) {
        queue.withLock { $0.append(event) }
        available.signal()
    }

    public func next(until deadline: Duration?) -> Event? {
        // Each post signals once, so a successful wait always finds one event.
        if let deadline {
            let remaining = max(.zero, deadline - clock.now())
            let (seconds, attoseconds) = remaining.components
            let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
            if available.wait(timeout: .now() + .nanoseconds(max(0, nanoseconds))) == .timedOut { return nil }
        } else {
            available.wait()
        }
        return queue.withLock { $0.removeFirst() }
    }
}
