/// The text of `--help` and `--version`, built from the option table.
public enum HelpText {
    public static let version = "retry 0.1.0"

    public static var usage: String {
        var lines = [
            "Usage: retry [options] [--] command [args...]",
            "",
            "Runs a command and, when it fails with a transient error, runs it again after",
            "a backoff delay, until it succeeds or a limit is reached. Options come first;",
            "-- or the first word that is not an option starts the command.",
            "",
            "Options:",
        ]
        let names = OptionSpec.all.map { spec in
            (spec.short.map { "-\($0), " } ?? "    ") + "--\(spec.long)" + (spec.valueName.map { " \($0)" } ?? "")
        }
        let width = names.map(\.count).max()! + 2
        for (name, spec) in zip(names, OptionSpec.all) {
            lines.append("  " + name.padding(toLength: width) + spec.summary)
        }
        lines += [
            "",
            "DURATION is a number with an optional unit ms, s, m or h (250ms, 1.5s, 2m),",
            "or a sum of them as retry prints it (1m30s, 1h02m); a bare number is seconds.",
            "",
            "Each attempt gets RETRY_ATTEMPT (1, 2, ...), RETRY_MAX_ATTEMPTS (0 with",
            "--forever) and RETRY_IDEMPOTENCY_KEY (the same for every attempt of a run).",
            "",
            "A timed-out attempt's process group gets SIGTERM, then SIGKILL after",
            "--kill-after. SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to retry are forwarded",
            "to the command's group; retry then makes no further attempt and dies of the",
            "same signal once the command has ended.",
            "",
            "Exit status:",
        ]
        for row in ExitStatus.table {
            lines.append("  " + row.status.padding(toLength: 8) + row.meaning)
        }
        lines += ["", "See retry(1) for the formulas, more examples and the details."]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The string followed by spaces up to `length` characters.
    func padding(toLength length: Int) -> String {
        self + String(repeating: " ", count: max(0, length - count))
    }
}
