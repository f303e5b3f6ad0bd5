/// Monotonic time as a duration since an arbitrary origin; injected so the
/// attempt loop is tested without real time.
public protocol MonotonicClock {
    func now() -> Duration
}

/// Waits between attempts; injected so tests never sleep for real.
public protocol Sleeper {
    func sleep(for duration: Duration)
}

/// The system's `CLOCK_MONOTONIC`.
public struct SystemClock: MonotonicClock {
    public init() {}
    public func now() -> Duration { Syscall.monotonicNow() }
}

/// A real `nanosleep`, which overshoots by about 0.2 ms.
public struct SystemSleeper: Sleeper {
    public init() {}
    public func sleep(for duration: Duration) { Syscall.sleep(for: duration) }
}
