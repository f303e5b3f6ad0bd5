/// What `retry` prints about a run.
package struct Presentation: Equatable, Sendable {
    /// Print the schedule and the shared state, run nothing.
    package var dryRun = false
    package var verbosity = Verbosity.normal
    package var logFormat = LogFormat.text
    /// The DURATIONs given as bare numbers, for `--verbose` and `--dry-run` to explain.
    package var bareSeconds: [BareSeconds] = []

    package init() {}
}
