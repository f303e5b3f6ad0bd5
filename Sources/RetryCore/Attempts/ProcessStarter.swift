/// Starts commands, one attempt (or hook) at a time, and ends their attempts.
package protocol ProcessStarter {
    /// Whether the command's file can be found and run now: the `--stagger`
    /// wait is not spent on a command that would fail at once (127, 126).
    func canStart(_ request: LaunchRequest) -> Bool

    /// Starts the command in a process group of its own, the terminal's
    /// foreground group when `retry` holds the terminal.
    func start(_ request: LaunchRequest) throws(LaunchFailure) -> StartedProcess

    /// The attempt is over: takes the terminal back if the command had it,
    /// and says what its output showed.
    func release(_ process: StartedProcess) -> OutputReport
}
