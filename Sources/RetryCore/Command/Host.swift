/// What the `retry` executable needs from the system, injected.
package struct Host {
    package var launcher: any ProcessLauncher
    package var clock: any MonotonicClock
    package var wallClock: any WallClock
    /// Exits of commands and signals to `retry`; also the sleeper.
    package var events: any EventSource
    /// Jitter when no `--seed` is given, and the idempotency key.
    package var random: any RandomNumberGenerator
    /// `retry`'s own environment, which the command inherits.
    package var environment: [String: String]
    /// Where help, the version and dry runs go; throws when they cannot.
    package var standardOutput: (String) throws -> Void
    package var standardError: (String) -> Void
    /// Whether stderr is a terminal, where messages may be in colour.
    package var standardErrorIsTerminal: Bool
    /// Opens the breaker and quota that a configuration names (called only
    /// when it names one); `warn` takes its messages.
    package var openSharedState: (Configuration, _ warn: @escaping (String) -> Void) throws(SharedStateError) -> any RunMemory
    /// Appends text to an existing file (GitHub Actions' step summary and
    /// outputs); throws when it cannot.
    package var appendToFile: (_ text: String, _ path: String) throws -> Void
    /// Opens the `--pace` store a configuration names (called only when it
    /// names one); `warn` takes its messages.
    package var openPace: (Configuration, _ warn: @escaping (String) -> Void) throws(SharedStateError) -> any PaceStore
    /// For `--version`: how commands are started (where the helper is).
    package var launcherDescription: String?
    /// For `-v`: what is wrong with how commands are started, if anything.
    package var launcherProblem: String?

    package init(launcher: any ProcessLauncher, clock: any MonotonicClock, wallClock: any WallClock, events: any EventSource,
                random: any RandomNumberGenerator, environment: [String: String],
                standardOutput: @escaping (String) throws -> Void, standardError: @escaping (String) -> Void,
                standardErrorIsTerminal: Bool = false,
                openSharedState: @escaping (Configuration, _ warn: @escaping (String) -> Void) throws(SharedStateError) -> any RunMemory,
                appendToFile: @escaping (_ text: String, _ path: String) throws -> Void,
                openPace: @escaping (Configuration, _ warn: @escaping (String) -> Void) throws(SharedStateError) -> any PaceStore
                    = { _, _ throws(SharedStateError) in throw .refused("--pace is not available here") }) {
        self.openPace = openPace
        self.launcher = launcher
        self.clock = clock
        self.wallClock = wallClock
        self.events = events
        self.random = random
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardErrorIsTerminal = standardErrorIsTerminal
        self.openSharedState = openSharedState
        self.appendToFile = appendToFile
    }
}
