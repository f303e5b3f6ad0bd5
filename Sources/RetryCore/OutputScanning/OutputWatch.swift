/// What to look for in the output, from the options.
package struct OutputWatch: Equatable, Sendable {
    package var http = false
    package var retryIf: OutputPattern?
    package var stopIf: OutputPattern?
    package var holdStdout = false
    /// The most stdout `--hold-output` keeps, in bytes (`--hold-limit`);
    /// nil for no limit but the disk's.
    package var holdLimit: Int? = OutputWatch.defaultHoldLimit
    package static let defaultHoldLimit = 64 << 20

    package init() {}

    /// Whether the output must pass through `retry` at all; without any of
    /// these options it is inherited directly, with no pipe in between.
    package var isActive: Bool { http || retryIf != nil || stopIf != nil || holdStdout }
    var scans: Bool { http || retryIf != nil || stopIf != nil }
    /// A plain pattern with a line break in it is searched for across lines.
    var spansLines: Bool { (retryIf?.spansLines ?? false) || (stopIf?.spansLines ?? false) }
}
