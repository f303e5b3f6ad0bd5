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

    package init(arguments: [String], environment: [String: String], watch: OutputWatch = OutputWatch(),
                replayStandardInput: Bool = false) {
        self.arguments = arguments
        self.environment = environment
        self.watch = watch
        self.replayStandardInput = replayStandardInput
    }
}

/// Why a command could not be started at all.
package enum LaunchFailure: Error, Equatable, Sendable {
    /// No such file, or no such command in `PATH`: status 127.
    case notFound(String)
    /// Found, but not runnable (permission, directory, exec format): status 126.
    case cannotInvoke(String, reason: String)
    /// `retry` could not prepare the attempt (pipes, a temporary file): 125.
    case setup(String)

    package var status: ExitStatus { ExitStatus(for: .launch(self)) }

    /// The one-line explanation, without the `retry: ` prefix.
    package var message: String {
        switch self {
        case .notFound(let name) where !name.contains("/") && name.contains(" "):
            // `retry 'curl -fsS x'`: the quotes made a whole command line one name.
            "\(name): command not found; the quotes make it one name: drop them (retry \(name))"
                + (name.contains("'") ? "" : ", or use sh -c '\(name)'")
        case .notFound(let name):
            name.contains("/") ? "\(name): no such file" : "\(name): command not found (check the name and PATH)"
        case .cannotInvoke(let name, let reason):
            "\(name): cannot run: \(reason)"
        case .setup(let reason):
            reason
        }
    }
}

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

    /// Makes sure the group does not outlive `retry` if `retry` is killed
    /// without a chance to tear it down (SIGTERM, `grace`, SIGKILL). Called
    /// once an attempt has run for `AttemptSupervisor.orphanGuardDelay`, so quick
    /// commands never pay for it.
    func protect(_ group: Int32, grace: Duration)

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

/// Something the attempt loop waits for.
package enum Event: Equatable, Sendable {
    /// The process `pid` ended.
    case exited(pid: Int32, Termination)
    /// The process `pid` was stopped (SIGTSTP, SIGSTOP, SIGTTIN, SIGTTOU).
    case stopped(pid: Int32)
    /// `retry` itself received `signal` (INT, TERM, HUP or QUIT).
    case signal(Int32)
}

/// The one place the attempt loop blocks: it waits for the next event or a
/// deadline, which makes it the sleeper between attempts too. Injected so
/// tests run in fake time.
package protocol EventSource {
    /// The next event, or nil once the monotonic `deadline` has passed
    /// (never nil without a deadline).
    func next(until deadline: Duration?) -> Event?

    /// The first signal `retry` received, if any, whether or not `next`
    /// has returned it yet: a signal ends the run, so a step that cannot
    /// wait on events (draining output, a state-file lock) asks this.
    var receivedSignal: Int32? { get }
}
