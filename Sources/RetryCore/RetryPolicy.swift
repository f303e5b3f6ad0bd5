/// Which failed outcomes are worth another attempt.
public struct RetryPolicy: Equatable, Sendable {
    /// Statuses to retry; nil means every non-zero status but 126 and 127.
    public var retryOn: ExitCodeSet?
    /// Statuses never to retry; wins over `retryOn`.
    public var stopOn: ExitCodeSet

    public init(retryOn: ExitCodeSet? = nil, stopOn: ExitCodeSet = ExitCodeSet([])) {
        self.retryOn = retryOn
        self.stopOn = stopOn
    }

    /// What to make of an attempt's outcome. A timed-out attempt is always
    /// worth another, whatever the status lists say: they speak of the
    /// command's own statuses.
    public func verdict(for outcome: AttemptOutcome) -> Verdict {
        guard case .terminated(let termination) = outcome else { return .retry }
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

    public enum Verdict: Equatable, Sendable {
        case success
        case retry
        case permanent(Reason)
    }

    /// Why a failure is not retried, for the message that says so.
    public enum Reason: Equatable, Sendable {
        case stopOn
        case notInRetryOn
        case cannotRun
    }
}
