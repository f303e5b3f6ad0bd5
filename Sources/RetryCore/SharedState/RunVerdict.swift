/// What a run says about the service it calls.
package enum RunVerdict: Equatable, Sendable {
    case succeeded
    case failed
    /// Nothing: the run was stopped by a signal, or the command could not
    /// even be started (a typo in a crontab is no outage). Only a trial
    /// lease is freed.
    case inconclusive
}
