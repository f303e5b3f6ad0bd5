/// Everything one run of `retry` needs to know, validated.
public struct Configuration: Equatable, Sendable {
    /// The command and its arguments, unchanged.
    public var command: [String] = []
    /// At most this many attempts, the first included; nil runs until success.
    public var maxAttempts: Int? = 5
    public var backoff = Backoff()
    public var policy = RetryPolicy()
    /// The limit of each attempt; nil for none.
    public var timeout: Duration?
    /// Grace between SIGTERM and SIGKILL when an attempt is torn down.
    public var killAfter: Duration = .seconds(5)
    /// The limit of the whole run, sleeps included; nil for none.
    public var budget: Duration?
    /// The circuit breaker's state file, and its rules.
    public var breakerPath: String?
    public var breaker = CircuitBreaker()
    /// The retry quota's state file, and its size.
    public var quotaPath: String?
    public var quota = RetryQuota()
    /// Makes jitter reproducible; nil draws from the system generator.
    public var seed: UInt64?
    /// Given by `--idempotency-key`; nil makes a fresh UUID per run.
    public var idempotencyKey: String?
    /// What to look for in the output, and whether to hold stdout back.
    public var watch = OutputWatch()
    /// The ceiling on a delay a server asks for with Retry-After (curl's).
    public var maxRetryAfter: Duration = .seconds(21_600)
    /// Whether every attempt reads the same stdin, read once and kept.
    public var replayStandardInput = false
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
