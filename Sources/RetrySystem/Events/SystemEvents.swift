import RetryCore
import Dispatch

/// The real `EventSource`: a mailbox that the launcher's exit watchers and
/// the signal relay post to from their threads, and the main thread waits on.
package final class SystemEvents: EventSource, Sendable {
    private let queue = Locked<[Event]>([])
    private let available = DispatchSemaphore(value: 0)
    private let clock: SystemClock
    private let firstSignal = Locked<Int32?>(nil)
    /// Becomes readable, for good, once a signal has been posted: a read
    /// that must not outlast a signal (stdin for `--stdin replay`) polls it
    /// beside its own descriptor. -1 if the pipe could not be made.
    let signalWake: Int32
    private let signalWakeWriter: Int32

    package init(clock: SystemClock = SystemClock()) {
        self.clock = clock
        let ends = try? Syscall.pipe()
        signalWake = ends?.read ?? -1
        signalWakeWriter = ends?.write ?? -1
    }

    /// Delivers `event` to the waiter; safe from any thread (not from a
    /// signal handler: the relay's thread posts for it).
    package func post(_ event: Event) {
        if case .signal(let signal) = event {
            let first = firstSignal.withLock { received in
                defer { received = received ?? signal }
                return received == nil
            }
            var byte: UInt8 = 1
            if first { _ = write(signalWakeWriter, &byte, 1) }
        }
        queue.withLock { $0.append(event) }
        available.signal()
    }

    package var receivedSignal: Int32? { firstSignal.withLock { $0 } }

    package func next(until deadline: Duration?) -> Event? {
        // Each post signals once, so a successful wait always finds one event.
        if let deadline {
            let remaining = max(.zero, deadline - clock.now())
            if available.wait(timeout: .now() + .nanoseconds(Int(remaining.nanoseconds))) == .timedOut { return nil }
        } else {
            available.wait()
        }
        return queue.withLock { $0.removeFirst() }
    }
}
