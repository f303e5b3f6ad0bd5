/// Wall-clock time in seconds since the epoch: processes share no monotonic
/// clock, so state files keep this, and Retry-After dates are read against it.
package protocol WallClock {
    func now() -> Double
}
