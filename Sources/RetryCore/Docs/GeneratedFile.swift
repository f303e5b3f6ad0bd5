/// The files generated from the option table: `retry --generate NAME`
/// prints one, and `make generate` writes them all; a test fails when a
/// committed file differs from what its generator prints.
package enum GeneratedFile: String, CaseIterable, Sendable {
    case man, bash, zsh, fish

    /// Where it lives in the repository; for `man`, the part of it between
    /// `ManualOptionList.begin` and `.end`.
    package var path: String {
        switch self {
        case .man: "man/retry.1"
        case .bash: "completions/retry.bash"
        case .zsh: "completions/_retry"
        case .fish: "completions/retry.fish"
        }
    }

    package var text: String {
        switch self {
        case .man: ManualOptionList.text
        case .bash: BashCompletion.script
        case .zsh: ZshCompletion.script
        case .fish: FishCompletion.script
        }
    }
}

extension OptionSpec {
    /// `-n, --attempts` or `--forever`, as the completions name it in notes.
    var longDisplay: String { "--" + long }

    /// The value's placeholder with spaces around a `|`: `PATH | URL`.
    var spacedValueName: String? {
        valueName.map { $0.split(separator: "|").joined(separator: " | ") }
    }
}

extension GeneratedFile {
    /// What hidden `retry --generate NAME` prints: the file, or for `man`
    /// the page that `page()` reads (the current man/retry.1, on stdin) with
    /// its list of options rewritten.
    package static func output(for name: String, page: () -> String) throws(UsageError) -> String {
        guard let file = GeneratedFile(rawValue: name) else {
            throw UsageError("--generate: '\(UsageError.shown(name))': expected one of "
                + allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard file == .man else { return file.text }
        guard let spliced = ManualOptionList.splice(into: page()) else {
            throw UsageError("--generate man: the page on stdin lacks the lines \(ManualOptionList.begin) and \(ManualOptionList.end)")
        }
        return spliced
    }
}
