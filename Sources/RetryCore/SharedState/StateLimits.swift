/// What a state file may hold before it is taken as corrupt.
enum StateLimits {
    static let count = 1_000_000_000_000
    static let time = 900_000_000_000.0

    /// Counts `amount` more into `value`, stopping at `count`: a record at
    /// its limit must still read back, not be taken as corrupt and reset.
    static func countOn(_ value: inout Int, by amount: Int = 1) {
        value = min(value, count - amount) + amount
    }
}
