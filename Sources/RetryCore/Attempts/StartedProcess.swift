/// A command that has been started.
package struct StartedProcess: Equatable, Sendable {
    /// Its pid, which is also its process group's id.
    package let pid: Int32
    /// Whether its group was made the terminal's foreground group, where a
    /// Ctrl-C reaches it and not `retry`.
    package let ownsTerminal: Bool

    package init(pid: Int32, ownsTerminal: Bool) {
        self.pid = pid
        self.ownsTerminal = ownsTerminal
    }
}
