/// Monotonic time as a duration since an arbitrary origin; injected so the
/// attempt loop is tested without real time.
package protocol MonotonicClock {
    func now() -> Duration
}
