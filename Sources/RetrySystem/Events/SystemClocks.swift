import RetryCore

/// The system's `CLOCK_MONOTONIC`.
public struct SystemClock: MonotonicClock, Sendable {
    public init() {}
    public func now() -> Duration { Syscall.monotonicNow() }
}

/// The system's `CLOCK_REALTIME`.
public struct SystemWallClock: WallClock, Sendable {
    public init() {}
    public func now() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
