/// Everything one run of `retry` needs to know, validated, in groups that
/// follow the flow of a run.
package struct Configuration: Equatable, Sendable {
    /// The command and its arguments, unchanged.
    package var command: [String] = []
    /// How many attempts, and how long each and all of them may take.
    package var limits = Limits()
    /// How long to wait between attempts.
    package var backoff = Backoff()
    /// Which outcomes are worth another attempt.
    package var policy = RetryPolicy()
    /// What to look for in the output, and whether to hold stdout back.
    package var watch = OutputWatch()
    /// Commands run between attempts and when the run gives up.
    package var hooks = Hooks()
    /// The circuit breaker and retry quota shared with other runs.
    package var sharedState = SharedStateSettings()
    /// What `retry` says, and how.
    package var presentation = Presentation()
    /// Makes jitter reproducible; nil draws from the system generator.
    package var seed: UInt64?
    /// Given by `--idempotency-key`; nil makes a fresh UUID per run.
    package var idempotencyKey: String?
    /// Whether every attempt reads the same stdin, read once and kept.
    package var replayStandardInput = false

    package init() {}
}

/// How many attempts a run makes, and how long they may take.
package struct Limits: Equatable, Sendable {
    /// At most this many attempts, the first included; nil runs until success.
    package var maxAttempts: Int? = 5
    /// The limit of each attempt; nil for none.
    package var timeout: Duration?
    /// Grace between SIGTERM and SIGKILL when an attempt is torn down.
    package var killAfter: Duration = .seconds(5)
    /// The limit of the whole run, sleeps included; nil for none.
    package var budget: Duration?

    package init() {}
}

/// The commands `retry` runs itself, with `/bin/sh -c`, around the attempts.
package struct Hooks: Equatable, Sendable {
    /// Run after a failed attempt when another follows, before the delay.
    package var beforeRetry: String?
    /// Run once when the run ends without success (not when stopped by a signal).
    package var onGiveUp: String?
    /// The limit of each hook; then its group is torn down like an attempt's.
    package var timeout: Duration = .seconds(30)

    package init() {}
}

/// The state files (or stores) that runs share, and their rules.
package struct SharedStateSettings: Equatable, Sendable {
    /// The circuit breaker's state file, and its rules.
    package var breakerPath: String?
    package var breaker = CircuitBreaker()
    /// The retry quota's state file, and its size.
    package var quotaPath: String?
    package var quota = RetryQuota()

    package init() {}

    /// Whether the run uses any shared state at all.
    package var isUsed: Bool { breakerPath != nil || quotaPath != nil }
}

/// What `retry` prints about a run.
package struct Presentation: Equatable, Sendable {
    /// Print the schedule and the shared state, run nothing.
    package var dryRun = false
    package var verbosity = Verbosity.normal
    package var logFormat = LogFormat.text

    package init() {}
}

/// How much `retry` says on stderr.
package enum Verbosity: Int, Comparable, Sendable {
    /// Only `retry`'s own errors.
    case quiet
    /// A line per failed attempt and a line on giving up.
    case normal
    /// Also each attempt's start, its duration and a line on success.
    case verbose

    package static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
}

/// How `retry` writes its messages on stderr.
package enum LogFormat: String, CaseIterable, Sendable {
    /// Lines for people.
    case text
    /// One JSON object per event, for machines; every event, whatever -q or -v say.
    case json
}
