/// What a run says about the service it calls.
package enum RunVerdict: Equatable, Sendable {
    case succeeded
    case failed
    /// Nothing: the run was stopped by a signal, the command could not
    /// even be started (a typo in a crontab is no outage), or the last
    /// response was a 429 (a server pacing its clients is no outage: that
    /// is the pacer's business; a 503 is a failure). Only a trial lease is
    /// freed.
    case inconclusive
}
