/// Quoting for the generated shell scripts.
enum ShellQuote {
    /// 'text' for sh, bash and zsh.
    static func single(_ text: String) -> String {
        "'" + text.replacing(scalar: "'", with: #"'\''"#) + "'"
    }

    /// 'text' for fish, where a backslash and a quote are escaped inside.
    static func fish(_ text: String) -> String {
        "'" + text.replacing(scalar: #"\"#, with: #"\\"#).replacing(scalar: "'", with: #"\'"#) + "'"
    }

    /// A shell identifier made from an option's long name: `retry_on`.
    static func identifier(_ long: String) -> String {
        long.replacing(scalar: "-", with: "_")
    }
}
