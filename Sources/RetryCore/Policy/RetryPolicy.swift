/// Which failed outcomes are worth another attempt.
package struct RetryPolicy: Equatable, Sendable {
    /// Statuses to retry; nil means every non-zero status but 126 and 127.
    package var retryOn: ExitCodeSet?
    /// Statuses never to retry; wins over `retryOn`.
    package var stopOn: ExitCodeSet

    /// HTTP statuses worth another attempt (`--retry-on-http`).
    package var retryOnHTTP = HTTPStatusSet.transient
    /// The ceiling on a delay a server asks for with Retry-After (curl's).
    package var maxRetryAfter: Duration = .seconds(21_600)

    package init(retryOn: ExitCodeSet? = nil, stopOn: ExitCodeSet = ExitCodeSet([])) {
        self.retryOn = retryOn
        self.stopOn = stopOn
    }

    /// What to make of an attempt's outcome. A timed-out attempt is always
    /// worth another, whatever the status lists say: they speak of the
    /// command's own statuses.
    package func verdict(for outcome: AttemptOutcome) -> Verdict {
        let termination: Termination
        switch outcome {
        case .timedOut: return .retry
        case .flagged(_, .stopPattern): return .permanent(.stopIfOutput)
        case .flagged(_, .retryPattern): return .retry
        case .flagged(_, .http(let code)): return retryOnHTTP.contains(code) ? .retry : .permanent(.httpStatus(code))
        case .terminated(let ended): termination = ended
        }
        let code = termination.status.rawValue
        if code == 0 { return .success }
        if stopOn.contains(code) { return .permanent(.stopOn) }
        if let retryOn {
            return retryOn.contains(code) ? .retry : .permanent(.notInRetryOn)
        }
        // 126 and 127 from a shell mean the same as from us: retrying a
        // command that cannot be found or run will not help.
        if code == 126 || code == 127 { return .permanent(.cannotRun) }
        return .retry
    }

    package enum Verdict: Equatable, Sendable {
        case success
        case retry
        case permanent(Reason)

        var isPermanent: Bool { if case .permanent = self { true } else { false } }
    }

    /// Why a failure is not retried, for the message that says so.
    package enum Reason: Equatable, Sendable {
        case stopOn
        case notInRetryOn
        case cannotRun
        /// The output matched `--stop-if-output`.
        case stopIfOutput
        /// The last HTTP response was a failure not in `--retry-on-http`.
        case httpStatus(Int)
    }

    /// What the output says about an attempt that ended: a stop pattern
    /// first, then a retry pattern (which retries even a `--stop-on` status,
    /// 126 or 127), then (with `--http`) the last response's status. A
    /// success status leaves the exit status to decide.
    package func refine(_ outcome: AttemptOutcome, with output: OutputReport, http: Bool) -> AttemptOutcome {
        guard case .terminated(let termination) = outcome else { return outcome }
        if output.stopPatternMatched { return .flagged(termination, .stopPattern) }
        // An explicit match wins over the status lists and 126/127, so that
        // `--stop-on 1-255 --retry-if-output 'Could not get lock'` retries
        // only what prints that.
        if output.retryPatternMatched { return .flagged(termination, .retryPattern) }
        if http, let code = output.httpStatus, !(200..<400).contains(code) { return .flagged(termination, .http(code)) }
        return outcome
    }
}
