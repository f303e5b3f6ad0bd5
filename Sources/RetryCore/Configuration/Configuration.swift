/// Everything one run of `retry` needs to know, validated, in groups that
/// follow the flow of a run.
public struct Configuration: Equatable, Sendable {
    /// The command and its arguments, unchanged.
    public var command: [String] = []
    /// How many attempts, and how long each and all of them may take.
    public var limits = Limits()
    /// How long to wait between attempts.
    public var backoff = Backoff()
    /// Which outcomes are worth another attempt.
    public var policy = RetryPolicy()
    /// What to look for in the output, and whether to hold stdout back.
    public var watch = OutputWatch()
    /// Commands run between attempts and when the run gives up.
    public var hooks = Hooks()
    /// The circuit breaker and retry quota shared with other runs.
    public var sharedState = SharedStateSettings()
    /// What `retry` says, and how.
    public var presentation = Presentation()
    /// Makes jitter reproducible; nil draws from the system generator.
    public var seed: UInt64?
    /// Given by `--idempotency-key`; nil makes a fresh UUID per run.
    public var idempotencyKey: String?
    /// Whether every attempt reads the same stdin, read once and kept.
    public var replayStandardInput = false

    public init() {}
}

/// How many attempts a run makes, and how long they may take.
public struct Limits: Equatable, Sendable {
    /// At most this many attempts, the first included; nil runs until success.
    public var maxAttempts: Int? = 5
    /// The limit of each attempt; nil for none.
    public var timeout: Duration?
    /// Grace between SIGTERM and SIGKILL when an attempt is torn down.
    public var killAfter: Duration = .seconds(5)
    /// The limit of the whole run, sleeps included; nil for none.
    public var budget: Duration?

    public init() {}
}

/// The commands `retry` runs itself, with `/bin/sh -c`, around the attempts.
public struct Hooks: Equatable, Sendable {
    /// Run after a failed attempt when another follows, before the delay.
    public var beforeRetry: String?
    /// Run once when the run ends without success (not when stopped by a signal).
    public var onGiveUp: String?
    /// The limit of each hook; then its group is torn down like an attempt's.
    public var timeout: Duration = .seconds(30)

    public init() {}
}

/// The state files (or stores) that runs share, and their rules.
public struct SharedStateSettings: Equatable, Sendable {
    /// The circuit breaker's state file, and its rules.
    public var breakerPath: String?
    public var breaker = CircuitBreaker()
    /// The retry quota's state file, and its size.
    public var quotaPath: String?
    public var quota = RetryQuota()

    public init() {}

    /// Whether the run uses any shared state at all.
    public var isUsed: Bool { breakerPath != nil || quotaPath != nil }
}

/// What `retry` prints about a run.
public struct Presentation: Equatable, Sendable {
    /// Print the schedule and the shared state, run nothing.
    public var dryRun = false
    public var verbosity = Verbosity.normal
    public var logFormat = LogFormat.text

    public init() {}
}

/// How much `retry` says on stderr.
public enum Verbosity: Int, Comparable, Sendable {
    /// Only `retry`'s own errors.
    case quiet
    /// A line per failed attempt and a line on giving up.
    case normal
    /// Also each attempt's start, its duration and a line on success.
    case verbose

    public static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
}

/// How `retry` writes its messages on stderr.
public enum LogFormat: String, CaseIterable, Sendable {
    /// Lines for people.
    case text
    /// One JSON object per event, for machines; every event, whatever -q or -v say.
    case json
}
