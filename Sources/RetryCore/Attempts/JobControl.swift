/// The shell's job control, for a command that holds the terminal.
package protocol JobControl {
    /// The command, which holds the terminal, was stopped (Ctrl-Z): stops
    /// `retry` too, so that the shell gets its prompt back, and on being
    /// continued (`fg`, `bg`) gives the terminal back to the command if
    /// `retry` is in the foreground again, and continues the command.
    func suspend(with process: StartedProcess)
}
