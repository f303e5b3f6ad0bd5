/// What the shell completions offer for an option's value, and how they
/// describe it. An option not named in `hint` gets one from its table entry:
/// its `choices`, durations for a DURATION, file names for a PATH, or
/// nothing but the description.
package struct ValueHint: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// Typed by hand: only the description is shown.
        case free
        /// File names.
        case files
        /// Command names (a hook's shell command).
        case command
        /// These values, each with an optional note.
        case words([Suggestion])
    }

    package struct Suggestion: Sendable, Equatable {
        package let word: String
        package let note: String?
    }

    package let kind: Kind
    /// What the value is, as zsh shows it above the matches.
    package let message: String

    static func free(_ message: String) -> ValueHint { ValueHint(kind: .free, message: message) }
    static func files(_ message: String) -> ValueHint { ValueHint(kind: .files, message: message) }
    static func command(_ message: String) -> ValueHint { ValueHint(kind: .command, message: message) }

    /// Values written `word` or `word:note`.
    static func words(_ message: String, _ words: [String]) -> ValueHint {
        ValueHint(kind: .words(words.map { entry in
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            return Suggestion(word: parts[0], note: parts.count > 1 ? parts[1] : nil)
        }), message: message)
    }

    static let durationMessage = "duration (a number with ms, s, m or h; bare is seconds)"
    static let durations = ["250ms", "500ms", "1s", "2s", "5s", "10s", "30s", "1m", "5m"]
    static let limits = ["0:no limit, the default", "30s", "1m", "2m", "5m", "10m", "30m", "1h"]
}

extension OptionSpec {
    /// What the completions offer for the value; nil for a flag.
    package var hint: ValueHint? {
        guard let valueName else { return nil }
        switch name {
        case .attempts: return .free("number of attempts")
        case .strategy: return .words("strategy", choices)
        case .base, .cap, .hookTimeout: return .words(ValueHint.durationMessage, ValueHint.durations)
        case .multiplier: return .words("factor", ["1.5", "2", "3"])
        case .jitter:
            return .words("jitter (none, full, equal or a proportion P percent)", [
                "none:the delay as computed", "full:uniform(0, t), the default", "equal:t/2 + uniform(0, t/2)",
                "10%:t * uniform(0.9, 1.1)", "20%:t * uniform(0.8, 1.2)", "25%:t * uniform(0.75, 1.25)",
                "50%:t * uniform(0.5, 1.5)",
            ])
        case .retryOn, .stopOn: return .free("exit statuses, like 1,3,5-9")
        case .timeout, .budget, .stagger: return .words(ValueHint.durationMessage, ValueHint.limits)
        case .killAfter:
            return .words(ValueHint.durationMessage, ["0:SIGKILL right after SIGTERM", "1s", "2s", "5s:the default", "10s", "30s"])
        case .breakerCooldown:
            return .words(ValueHint.durationMessage, ["10s", "30s:the default", "1m", "5m", "10m", "30m", "1h"])
        case .maxRetryAfter:
            return .words(ValueHint.durationMessage, ["0:never wait for Retry-After, retry at once", "30s", "1m", "5m", "10m",
                                                      "30m", "1h", "6h:the default"])
        case .beforeRetry, .onGiveUp: return .command("shell command")
        case .retryOnHTTP:
            return .words("HTTP statuses: codes, ranges and classes like 5xx, comma-separated", [
                "429,5xx:too many requests and every server error",
                "408,425,429,5xx:the default, with 501 and 505-599 added",
                "429:too many requests only", "5xx:every server error, 500-599", "500-504:a range",
                "502,503,504:gateway errors and service unavailable",
            ])
        case .retryIfOutput, .stopIfOutput: return .free("pattern (text, or an ICU regular expression)")
        case .stdin:
            return .words("standard input", [
                "inherit:the attempts share it: what one reads, the next does not see (the default)",
                "replay:read it all once, and every attempt reads it from the start",
            ])
        case .holdLimit: return .words("size", ["0", "1M", "16M", "64M", "256M", "1G"])
        case .breaker, .quota, .pace: return .files("state file or Redis URL")
        case .rate: return .words("rate (N per s, m or h)", ["1/s", "5/s", "10/s", "60/m", "300/m", "1000/h", "5000/h"])
        case .breakerThreshold: return .free("number of failed runs")
        case .quotaSize: return .free("number of tokens")
        case .redisCA: return .files("CA certificates (PEM)")
        case .seed: return .free("seed (a whole number)")
        case .idempotencyKey: return .free("key")
        case .logFormat:
            return .words("log format", [
                "text:lines for people, the default",
                "json:one JSON object per event, whatever -q or -v say",
            ])
        default:
            if !choices.isEmpty { return .words(valueName.lowercased(), choices) }
            if valueName == "DURATION" { return .words(ValueHint.durationMessage, ValueHint.durations) }
            if valueName.hasPrefix("PATH") { return .files(valueName.lowercased()) }
            return .free(valueName.lowercased())
        }
    }
}
