/// The text of `--help` and `--version`, built from the option table.
package enum HelpText {
    package static let version = "retry 0.1.0"

    /// The widest line `--help` writes, so that it fits a classic terminal.
    package static let width = 80
    /// Where the summaries start; a longer option name puts its summary on
    /// the next line.
    static let summaryColumn = 30

    package static var usage: String {
        var lines = [
            "Usage: retry [options] [--] command [args...]",
            "",
            "Runs a command and, when it fails, runs it again after a backoff delay,",
            "until it succeeds or a limit is reached. Options come first; -- or the",
            "first word that is not an option starts the command.",
        ]
        for group in OptionGroup.allCases {
            lines += ["", group.rawValue + ":"]
            for spec in OptionSpec.all where spec.group == group {
                lines += optionLines(spec)
            }
        }
        lines += [
            "",
            "DURATION is a number with an optional unit ms, s, m or h (250ms, 1.5s, 2m),",
            "or a sum of them as retry prints it (1m30s, 1h02m); a bare number is seconds.",
            "Each attempt gets RETRY_ATTEMPT, RETRY_MAX_ATTEMPTS and RETRY_IDEMPOTENCY_KEY.",
            "",
            "Exit status:",
        ]
        for row in ExitStatus.table {
            lines.append("  " + row.status.padding(toLength: 8) + row.meaning)
        }
        lines += [
            "",
            "Examples:",
            "  retry -- curl -fsS https://example.com/health",
            "      up to 5 attempts, exponential backoff from 1s with full jitter",
            "  retry --http -t 10s -- curl -sS -D - -o page.html https://example.com/",
            "      the HTTP status decides: a 503 is retried, a 404 is not",
            "  retry --stop-on 1-255 --retry-if-output 'Could not get lock' -- apt-get update",
            "      retry apt-get only while another one holds its lock",
            "",
            "See retry(1) for the formulas, signals, state files and more examples.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `  -n, --attempts N          summary`, the summary wrapped at `width`.
    static func optionLines(_ spec: OptionSpec) -> [String] {
        let name = "  " + (spec.short.map { "-\($0), " } ?? "    ") + "--\(spec.long)" + (spec.valueName.map { " \($0)" } ?? "")
        var lines: [String] = []
        var line = name.padding(toLength: summaryColumn)
        if name.count + 2 > summaryColumn {
            lines.append(name)
            line = String(repeating: " ", count: summaryColumn)
        }
        var first = true
        for word in spec.summary.split(separator: " ") {
            if !first && line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: summaryColumn)
                first = true
            }
            line += (first ? "" : " ") + word
            first = false
        }
        lines.append(line)
        return lines
    }
}

extension String {
    /// The string followed by spaces up to `length` characters.
    func padding(toLength length: Int) -> String {
        self + String(repeating: " ", count: max(0, length - count))
    }
}
