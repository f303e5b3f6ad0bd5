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
