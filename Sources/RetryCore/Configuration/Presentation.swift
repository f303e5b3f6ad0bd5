/// What `retry` prints about a run.
package struct Presentation: Equatable, Sendable {
    /// Print the schedule and the shared state, run nothing.
    package var dryRun = false
    package var verbosity = Verbosity.normal
    package var logFormat = LogFormat.text

    package init() {}
}
