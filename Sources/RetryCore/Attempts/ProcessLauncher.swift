/// Starts commands and signals their process groups. The real one spawns
/// with Foundation `Process`; the tests' one simulates processes in fake time.
/// A started command reports its end through the `EventSource`.
package protocol ProcessLauncher {
    /// Reads all of `retry`'s stdin and keeps it, for every attempt to read
    /// from its start (`--stdin replay`); called once, before the first.
    func keepStandardInput() throws(LaunchFailure)

    /// Starts the command in a process group of its own, the terminal's
    /// foreground group when `retry` holds the terminal.
    func start(_ request: LaunchRequest) throws(LaunchFailure) -> StartedProcess

    /// The attempt is over: takes the terminal back if the command had it,
    /// and says what its output showed.
    func release(_ process: StartedProcess) -> OutputReport

    /// Writes the held-back stdout of the last attempt (`--hold-output`);
    /// says what was lost when it could not all be written.
    func publishHeldOutput() -> OutputLoss?

    /// The command, which holds the terminal, was stopped (Ctrl-Z): stops
    /// `retry` too, so that the shell gets its prompt back, and on being
    /// continued (`fg`, `bg`) gives the terminal back to the command if
    /// `retry` is in the foreground again, and continues the command.
    func suspend(with process: StartedProcess)

    /// Whether `retry`'s stdout is a pipe whose reader has gone, so that
    /// whatever another attempt writes is lost and it dies of SIGPIPE.
    func outputReaderIsGone() -> Bool

    /// Sends `signal` to every process in the group `group`.
    func signalGroup(_ group: Int32, _ signal: Int32)

    /// Whether any process of the group is still alive (zombies excluded),
    /// so teardown knows when nothing is left to kill.
    func groupIsAlive(_ group: Int32) -> Bool
}
