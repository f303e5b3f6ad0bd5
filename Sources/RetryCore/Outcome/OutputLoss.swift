/// Why some of an attempt's output did not reach where it was going. Output
/// that passes through `retry` (`--hold-output`, `--http`, the output
/// patterns) is `retry`'s to deliver: losing it must not look like success.
package enum OutputLoss: Equatable, Sendable {
    /// Whoever read `retry`'s stdout has gone (a broken pipe, as with
    /// `| head -1`). The command met the closed pipe as it would have without
    /// `retry`; no further attempt is made, since none could be delivered.
    case readerGone
    /// Output could not be written or held: the reason, in one line. The run
    /// fails with status 125 and nothing held back is published.
    case failed(String)

    /// The line a run that ends on this loss reports.
    package var message: String {
        switch self {
        case .readerGone: "the reader of stdout has gone (broken pipe)"
        case .failed(let reason): reason
        }
    }
}
