/// Something the attempt loop waits for.
package enum Event: Equatable, Sendable {
    /// The process `pid` ended.
    case exited(pid: Int32, Termination)
    /// The process `pid` was stopped (SIGTSTP, SIGSTOP, SIGTTIN, SIGTTOU).
    case stopped(pid: Int32)
    /// `retry` itself received `signal` (INT, TERM, HUP or QUIT).
    case signal(Int32)
}
