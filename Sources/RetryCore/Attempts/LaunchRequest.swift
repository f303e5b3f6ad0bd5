/// What one attempt runs.
package struct LaunchRequest: Equatable, Sendable {
    /// The command and its arguments, exactly as given; never joined for a shell.
    package var arguments: [String]
    /// The complete environment of the command.
    package var environment: [String: String]
    /// What to look for in the output; inactive: the streams are inherited.
    package var watch: OutputWatch
    /// Whether the command reads the stdin kept by `keepStandardInput()`
    /// from its start (`--stdin replay`); otherwise it inherits `retry`'s.
    package var replayStandardInput: Bool
    /// Whether the command's stdout goes to `retry`'s stderr (a hook's
    /// output, which must not mix with the command's on stdout).
    package var outputToStandardError = false
    /// Whether the command reads /dev/null, not `retry`'s stdin (a hook,
    /// which must not eat the input the command's next attempt reads).
    package var inputFromNull = false
    /// The grace between SIGTERM and SIGKILL (`--kill-after`) when the
    /// group is ended because `retry` died.
    package var killAfter = Limits().killAfter

    package init(arguments: [String], environment: [String: String], watch: OutputWatch = OutputWatch(),
                replayStandardInput: Bool = false) {
        self.arguments = arguments
        self.environment = environment
        self.watch = watch
        self.replayStandardInput = replayStandardInput
    }
}
