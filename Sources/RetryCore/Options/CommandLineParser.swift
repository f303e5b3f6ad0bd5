/// Turns `retry`'s arguments into an `Invocation`, by hand: options first,
/// then `--` or the first word that is not an option starts the command,
/// and everything from there on belongs to the command, unchanged.
package enum CommandLineParser {
    package static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = ParsedOptions()
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if word == "--" { break }
            if word.hasPrefix("--") {
                try parseLong(word, arguments, &index, into: &options)
            } else if word.hasPrefix("-") && word.count > 1 {
                try parseShortCluster(word, arguments, &index, into: &options)
            } else {
                index -= 1
                break
            }
            switch options.action {
            case .help: return .help
            case .version: return .version
            case .run: continue
            }
        }
        options.configuration.command = Array(arguments[index...])
        try validate(&options)
        return .run(options.configuration)
    }

    /// `--name`, `--name value` or `--name=value`.
    private static func parseLong(_ word: String, _ arguments: [String], _ index: inout Int,
                                  into options: inout ParsedOptions) throws(UsageError) {
        let body = word.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        guard let spec = OptionSpec.named(name) else {
            throw UsageError("unknown option --\(UsageError.shown(name))" + suggestion(for: name))
        }
        guard spec.takesValue else {
            if inline != nil { throw UsageError("\(spec.display) takes no value; write just \(spec.display)") }
            try apply(spec, "", written: spec.display, to: &options)
            return
        }
        let value: String
        if let inline {
            value = inline
        } else {
            value = try nextValue(for: spec, written: spec.display, arguments, &index)
        }
        try apply(spec, value, written: spec.display, to: &options)
    }

    /// `-v`, `-n 3`, `-n3`, or a cluster of flags `-qv`, getopt-style: the
    /// first letter that takes a value takes the rest of the word, or the
    /// next word.
    private static func parseShortCluster(_ word: String, _ arguments: [String], _ index: inout Int,
                                          into options: inout ParsedOptions) throws(UsageError) {
        var letters = word.dropFirst()
        while let letter = letters.first {
            letters = letters.dropFirst()
            guard let spec = OptionSpec.named(short: letter) else {
                // `-atempts` may be a long option with one dash; anything
                // else gets the pointer to --help that `--bogus` gets.
                let hint = word.count > 2 && word.dropFirst().allSatisfy({ $0.isLetter || $0 == "-" })
                    ? suggestion(for: String(word.drop { $0 == "-" })) : Self.seeHelp
                throw UsageError("unknown option -\(UsageError.shown(String(letter)))" + (word.count > 2 ? " in \(UsageError.shown(word))" : "") + hint)
            }
            let written = "-\(letter)"
            guard spec.takesValue else {
                try apply(spec, "", written: written, to: &options)
                if options.action != .run { return }
                continue
            }
            let value = letters.isEmpty ? try nextValue(for: spec, written: written, arguments, &index) : String(letters)
            try apply(spec, value, written: written, to: &options)
            return
        }
    }

    private static func nextValue(for spec: OptionSpec, written: String, _ arguments: [String],
                                  _ index: inout Int) throws(UsageError) -> String {
        guard index < arguments.count else {
            throw UsageError("\(written) needs a value (\(spec.valueName!)); see retry --help")
        }
        let value = arguments[index]
        // `--breaker --timeout 5s` must not take `--timeout` as a path: a
        // word that looks like an option is one, unless it is a number
        // (which the option refuses or takes with its own reason). A path
        // is never a number: `--quota -5` must not create a file named -5.
        let takesPath = spec.valueName.map { $0.hasPrefix("PATH") || $0 == "FILE" } ?? false
        if value.hasPrefix("-") && (takesPath || !looksNumeric(value.dropFirst())) {
            let path = takesPath ? " or \(spec.display) ./\(UsageError.shown(value))" : ""
            throw UsageError("\(written) needs a value (\(spec.valueName!)), but '\(UsageError.shown(value))' looks like an option; if it is the value, write \(spec.display)=\(UsageError.shown(value))\(path)")
        }
        index += 1
        return value
    }

    /// `5`, `1.5`, `.5`: what follows the `-` of a negative number.
    private static func looksNumeric(_ text: Substring) -> Bool {
        text.first.map { $0.isASCII && ($0.isNumber || $0 == ".") } ?? false
    }

    private static func apply(_ spec: OptionSpec, _ value: String, written: String,
                              to options: inout ParsedOptions) throws(UsageError) {
        do {
            try spec.apply(&options, value)
        } catch {
            throw UsageError("\(written): '\(UsageError.shown(value))': \(error.reason)")
        }
        options.given.insert(spec.name)
        if spec.valueName == "DURATION" {
            options.configuration.presentation.bareSeconds.removeAll { $0.option == spec.name }
            if let bare = BareSeconds(spec.name, written: written, text: value) {
                options.configuration.presentation.bareSeconds.append(bare)
            }
        }
    }

    private static let seeHelp = "; see retry --help for the options"

    /// What other retry tools (Debian's retry among them) call our options:
    /// too far from any name of ours for the edit distance to find.
    static let otherNames: [String: String] = [
        "times": "; did you mean --attempts? (-n N: at most N runs, the first included; Debian's retry --times N)",
        "tries": "; did you mean --attempts? (-n N: at most N runs, the first included)",
        "retries": "; did you mean --attempts? (-n N counts the first run too: 3 retries is -n 4)",
        "delay": "; did you mean --base? (-b DURATION: the first delay; with -s constant, every delay)",
        "interval": "; did you mean --base with --strategy constant? (-s constant -b DURATION: the same delay each time)",
    ]

    /// `; did you mean --attempts?` when a real option is close enough.
    private static func suggestion(for name: String) -> String {
        if let other = otherNames[name] { return other }
        let nearest = OptionSpec.all
            .map { ($0.long, Suggestion.editDistance(name, $0.long)) }
            .min { $0.1 < $1.1 }
        guard let (long, distance) = nearest, distance <= max(2, name.count / 3) else { return seeHelp }
        return "; did you mean --\(long)?"
    }

    /// The checks that involve more than one option.
    private static func validate(_ options: inout ParsedOptions) throws(UsageError) {
        let given = options.given
        var configuration = options.configuration
        if given.contains(.forever) && given.contains(.attempts) {
            throw UsageError("--forever and --attempts contradict each other; keep one")
        }
        if given.contains(.quiet) && given.contains(.verbose) {
            throw UsageError("--quiet and --verbose contradict each other; keep one")
        }
        let needs: [(option: OptionName, needed: OptionName)] = [(.breakerThreshold, .breaker), (.breakerCooldown, .breaker),
                                                                 (.quotaSize, .quota), (.rate, .pace)]
        for (option, file) in needs where given.contains(option) && !given.contains(file) {
            throw UsageError("--\(option.rawValue) needs --\(file.rawValue) PATH, the state file it applies to")
        }
        if given.contains(.showState) && given.contains(.resetState) {
            throw UsageError("--show-state and --reset-state contradict each other; keep one")
        }
        if let action = configuration.sharedState.action {
            let option = action == .show ? "--show-state" : "--reset-state"
            guard configuration.sharedState.isUsed || configuration.sharedState.pacePath != nil else {
                throw UsageError("\(option) needs a store: --breaker, --quota or --pace, each PATH|URL")
            }
            if configuration.presentation.dryRun { throw UsageError("\(option) and --dry-run both run nothing; keep one") }
        }
        if given.contains(.redisCA), ![configuration.sharedState.breakerPath, configuration.sharedState.quotaPath,
                                       configuration.sharedState.pacePath].contains(where: { $0?.hasPrefix("rediss://") == true }) {
            throw UsageError("--redis-ca applies only to a rediss:// --breaker, --quota or --pace")
        }
        if given.contains(.hookTimeout) && !given.contains(.beforeRetry) && !given.contains(.onGiveUp) {
            throw UsageError("--hook-timeout needs a hook to limit: --before-retry CMD or --on-give-up CMD")
        }
        for option: OptionName in [.retryOnHTTP, .maxRetryAfter] where given.contains(option) && !given.contains(.http) {
            throw UsageError("--\(option.rawValue) applies only with --http; add --http")
        }
        if given.contains(.holdLimit) && !given.contains(.holdOutput) {
            throw UsageError("--hold-limit applies only with --hold-output; add --hold-output")
        }
        if let breaker = configuration.sharedState.breakerPath, breaker == configuration.sharedState.quotaPath {
            throw UsageError("--breaker and --quota name the same file; give each its own")
        }
        let strategy = configuration.backoff.strategy
        if given.contains(.multiplier) && strategy != .exponential {
            throw UsageError("--multiplier applies only to --strategy exponential; drop it or add --strategy exponential")
        }
        if strategy == .decorrelated && given.contains(.jitter) && configuration.backoff.jitter != .none {
            throw UsageError("--strategy decorrelated is random by itself and takes no --jitter; drop --jitter")
        }
        if !given.contains(.jitter) { configuration.backoff.jitter = .default(for: strategy) }
        let backoff = configuration.backoff
        if backoff.cap < backoff.base {
            guard !given.contains(.cap) else {
                throw UsageError("--cap \(DurationText.format(backoff.cap)) is less than --base \(DurationText.format(backoff.base)); raise --cap or lower --base")
            }
            // Only the default cap is in the way: a base above it is what the user meant.
            configuration.backoff.cap = backoff.base
        }
        if configuration.command.isEmpty && !configuration.presentation.dryRun && configuration.sharedState.action == nil {
            throw UsageError("no command given; usage: retry [options] [--] command [args...]")
        }
        options.configuration = configuration
    }
}
