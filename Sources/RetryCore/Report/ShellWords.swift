/// A command written back as a shell would need it typed: plain words as
/// they are, others in single quotes, and words with control characters
/// (a newline) in `$'...'`, which bash, zsh, ksh and POSIX.1-2024 sh read.
package enum ShellWords {
    package static func quoted(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    static func quote(_ word: String) -> String {
        if !word.isEmpty && word.unicodeScalars.allSatisfy(isPlain) { return word }
        if word.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            var out = "$'"
            for scalar in word.unicodeScalars {
                switch scalar {
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case "\\": out += "\\\\"
                case "'": out += "\\'"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "'"
        }
        return "'" + word.replacing(scalar: "'", with: #"'\''"#) + "'"
    }

    /// Characters no shell treats specially anywhere in a word.
    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "@", "%", "+", "=", ":", ",", ".", "/", "-": true
        default: scalar.value >= 0x80
        }
    }
}
