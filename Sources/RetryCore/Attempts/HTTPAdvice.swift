/// The hint for `--http` given to a command that prints no HTTP response:
/// the common `curl -sS -o /dev/null -w '%{http_code}'` prints the code
/// alone, and a 503 then passes for a success without a word.
enum HTTPAdvice {
    /// The hint for an attempt that ended by itself, once per run; nil when
    /// the attempt showed a response, or `--http` is off.
    static func message(for outcome: AttemptOutcome, output: OutputReport, attempt: RunEvent.Attempt, http: Bool) -> String? {
        guard http, output.httpStatus == nil, case .terminated(let termination) = outcome else { return nil }
        return "--http: attempt \(TextReporter.label(attempt)) printed no HTTP response, so its exit status "
            + "\(termination.status) decided; have curl print the headers with -i, -D - or -D /dev/stderr"
    }
}
