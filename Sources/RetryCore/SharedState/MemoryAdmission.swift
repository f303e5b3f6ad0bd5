/// Whether the breaker lets a run go ahead.
package enum MemoryAdmission: Equatable, Sendable {
    case proceed
    /// The breaker is open; the message says which file and until when.
    case rejected(String)
}
