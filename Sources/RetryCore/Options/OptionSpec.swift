/// One command-line option: its names, its value, its help, and what it
/// does to the configuration. Their table (`OptionSpec.all`) is the single
/// source for the parser, `--help`, and the tests that hold the man page and
/// completions to the same set of options.
package struct OptionSpec: Sendable {
    package let name: OptionName
    package let short: Character?
    /// The value's placeholder (`N`, `DURATION`); nil for a flag.
    package let valueName: String?
    /// The fixed values it takes, offered by the completions.
    package let choices: [String]
    /// One line for `--help`.
    package let summary: String
    /// The heading `--help` lists it under.
    package let group: OptionGroup
    let apply: @Sendable (inout ParsedOptions, String) throws(InvalidValue) -> Void

    init(_ name: OptionName, short: Character? = nil, value valueName: String? = nil, choices: [String] = [],
         _ group: OptionGroup, _ summary: String,
         apply: @escaping @Sendable (inout ParsedOptions, String) throws(InvalidValue) -> Void) {
        self.name = name
        self.short = short
        self.valueName = valueName
        self.choices = choices
        self.group = group
        self.summary = summary
        self.apply = apply
    }

    /// The long name, without the dashes: `attempts`.
    package var long: String { name.rawValue }
    package var takesValue: Bool { valueName != nil }
}
