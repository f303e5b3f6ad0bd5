import RetryCore

/// The system's `CLOCK_REALTIME`.
package struct SystemWallClock: WallClock, Sendable {
    package init() {}
    package func now() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
