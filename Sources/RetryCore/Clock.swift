/// Monotonic time as a duration since an arbitrary origin; injected so the
/// attempt loop is tested without real time.
public protocol MonotonicClock {
    func now() -> Duration
}

/// The system's `CLOCK_MONOTONIC`.
public struct SystemClock: MonotonicClock, Sendable {
    public init() {}
    public func now() -> Duration { Syscall.monotonicNow() }
}
