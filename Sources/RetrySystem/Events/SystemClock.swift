import RetryCore

/// The system's `CLOCK_MONOTONIC`.
package struct SystemClock: MonotonicClock, Sendable {
    package init() {}
    package func now() -> Duration { Syscall.monotonicNow() }
}
