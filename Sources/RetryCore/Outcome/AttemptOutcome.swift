/// How one attempt ended, as the retry decision sees it.
package enum AttemptOutcome: Equatable, Sendable {
    case terminated(Termination)
    /// Torn down at its `--timeout`, which was `limit`.
    case timedOut(limit: Duration)
    /// Ended, but its output decides: an HTTP status or a pattern.
    case flagged(Termination, Finding)

    /// What the output of an attempt showed that overrides its exit status.
    package enum Finding: Equatable, Sendable {
        /// The last HTTP response was this failure status.
        case http(Int)
        case retryPattern
        case stopPattern
    }

    /// Whether the command ended on its own (not torn down at a timeout).
    var endedByItself: Bool { if case .timedOut = self { false } else { true } }

    /// The status a run that ends here exits with. A failure the command
    /// reported with status 0 (an HTTP error, a --retry-if-output match) is
    /// 1, never 0; --stop-if-output passes the status through.
    package var status: ExitStatus {
        switch self {
        case .terminated(let termination): termination.status
        case .timedOut: ExitStatus(for: .timedOut)
        case .flagged(let termination, .stopPattern): termination.status
        case .flagged(let termination, _): termination.isSuccess ? ExitStatus(for: .outputFailedSuccess) : termination.status
        }
    }
}
