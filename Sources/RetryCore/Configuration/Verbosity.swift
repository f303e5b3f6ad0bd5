/// How much `retry` says on stderr.
package enum Verbosity: Int, Comparable, Sendable {
    /// Only `retry`'s own errors.
    case quiet
    /// A line per failed attempt and a line on giving up.
    case normal
    /// Also each attempt's start, its duration and a line on success.
    case verbose

    package static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
}
