extension OptionSpec {
    /// Every option `retry` takes, in the order `--help` lists them.
    package static let all: [OptionSpec] = [
        OptionSpec(.attempts, short: "n", value: "N", .attempts, "at most N runs, the first included (default 5)") { options, text throws(InvalidValue) in
            options.configuration.limits.maxAttempts = try NumberText.positiveInteger(text)
        },
        OptionSpec(.forever, .attempts, "no attempt limit; other limits still apply") { options, _ in
            options.configuration.limits.maxAttempts = nil
        },
        OptionSpec(.strategy, short: "s", value: "NAME", choices: Strategy.allCases.map(\.rawValue),
                   .attempts, "constant, linear, exponential (default) or decorrelated") { options, text throws(InvalidValue) in
            guard let strategy = Strategy(rawValue: text) else {
                throw InvalidValue("expected one of " + Strategy.allCases.map(\.rawValue).joined(separator: ", "))
            }
            options.configuration.backoff.strategy = strategy
        },
        OptionSpec(.base, short: "b", value: "DURATION", .attempts, "first delay (default 1s); a bare number is seconds") { options, text throws(InvalidValue) in
            options.configuration.backoff.base = try DurationText.parse(text)
        },
        OptionSpec(.multiplier, value: "X", .attempts, "growth factor of exponential, over 1 (default 2)") { options, text throws(InvalidValue) in
            guard let value = DecimalText(text)?.double else { throw InvalidValue("expected a number more than 1, like 1.5") }
            guard value > 1 else { throw InvalidValue("must be more than 1, or the delays would not grow") }
            options.configuration.backoff.multiplier = value
        },
        OptionSpec(.cap, short: "c", value: "DURATION", .attempts, "no delay exceeds it (default 60s)") { options, text throws(InvalidValue) in
            options.configuration.backoff.cap = try DurationText.parse(text)
        },
        OptionSpec(.jitter, short: "j", value: "KIND", choices: Jitter.names, .attempts, "none, full, equal or P% (±P%); default by strategy") { options, text throws(InvalidValue) in
            options.configuration.backoff.jitter = try Jitter.parse(text)
        },
        OptionSpec(.retryOn, short: "r", value: "CODES", .decisions, "retry only these statuses (default: not 126, 127)") { options, text throws(InvalidValue) in
            options.configuration.policy.retryOn = try ExitCodeSet.parse(text, allowed: 1...255)
        },
        OptionSpec(.stopOn, value: "CODES", .decisions, "never retry these statuses, like 1,3,5-9") { options, text throws(InvalidValue) in
            options.configuration.policy.stopOn = try ExitCodeSet.parse(text, allowed: 1...255)
        },
        OptionSpec(.timeout, short: "t", value: "DURATION", .time, "limit of each attempt (default none)") { options, text throws(InvalidValue) in
            let limit = try DurationText.parse(text)
            options.configuration.limits.timeout = limit == .zero ? nil : limit
        },
        OptionSpec(.killAfter, value: "DURATION", .time, "grace between SIGTERM and SIGKILL (default 5s)") { options, text throws(InvalidValue) in
            options.configuration.limits.killAfter = try DurationText.parse(text)
        },
        OptionSpec(.budget, value: "DURATION", .time, "limit of the whole run, sleeps included") { options, text throws(InvalidValue) in
            let limit = try DurationText.parse(text)
            options.configuration.limits.budget = limit == .zero ? nil : limit
        },
        OptionSpec(.stagger, value: "DURATION", .attempts, "a random wait below it before the first attempt") { options, text throws(InvalidValue) in
            options.configuration.backoff.stagger = try DurationText.parse(text)
        },
        OptionSpec(.beforeRetry, value: "CMD", .hooks, "sh -c CMD after a failed attempt, before the delay") { options, text throws(InvalidValue) in
            options.configuration.hooks.beforeRetry = try HookText.command(text)
        },
        OptionSpec(.onGiveUp, value: "CMD", .hooks, "sh -c CMD once when the run ends without success") { options, text throws(InvalidValue) in
            options.configuration.hooks.onGiveUp = try HookText.command(text)
        },
        OptionSpec(.hookTimeout, value: "DURATION", .hooks, "limit of each hook (default 30s)") { options, text throws(InvalidValue) in
            let limit = try DurationText.parse(text)
            guard limit > .zero else { throw InvalidValue("must be more than 0; a hook always has a limit") }
            options.configuration.hooks.timeout = limit
        },
        OptionSpec(.http, .decisions, "let the HTTP responses in the output decide") { options, _ in
            options.configuration.watch.http = true
        },
        OptionSpec(.retryOnHTTP, value: "LIST", .decisions, "HTTP statuses to retry (408,425,429,500,502-504)") { options, text throws(InvalidValue) in
            options.configuration.policy.retryOnHTTP = try HTTPStatusSet.parse(text)
        },
        OptionSpec(.maxRetryAfter, value: "DURATION", .decisions, "ceiling on a server's Retry-After (default 6h)") { options, text throws(InvalidValue) in
            options.configuration.policy.maxRetryAfter = try DurationText.parse(text)
        },
        OptionSpec(.retryIfOutput, value: "REGEX", .decisions, "retry when the output matches, whatever the status") { options, text throws(InvalidValue) in
            options.configuration.watch.retryIf = try OutputPattern.compile(text)
        },
        OptionSpec(.stopIfOutput, value: "REGEX", .decisions, "stop at once when the output matches") { options, text throws(InvalidValue) in
            options.configuration.watch.stopIf = try OutputPattern.compile(text)
        },
        OptionSpec(.stdin, value: "MODE", choices: ["inherit", "replay"],
                   .io, "inherit (default), or replay it to every attempt") { options, text throws(InvalidValue) in
            switch text {
            case "inherit": options.configuration.replayStandardInput = false
            case "replay": options.configuration.replayStandardInput = true
            default: throw InvalidValue("expected inherit or replay")
            }
        },
        OptionSpec(.holdOutput, .io, "show only the successful attempt's stdout") { options, _ in
            options.configuration.watch.holdStdout = true
        },
        OptionSpec(.holdLimit, value: "SIZE", .io, "most stdout --hold-output keeps, like 512K; 0: none (default 64M)") { options, text throws(InvalidValue) in
            let limit = try ByteSizeText.parse(text)
            options.configuration.watch.holdLimit = limit == 0 ? nil : limit
        },
        OptionSpec(.breaker, value: "PATH|URL", .shared, "a circuit breaker in this file or a redis:// URL") { options, text throws(InvalidValue) in
            options.configuration.sharedState.breakerPath = try PathText.stateFile(text)
        },
        OptionSpec(.breakerThreshold, value: "N", .shared, "failed runs in a row that open it (default 5)") { options, text throws(InvalidValue) in
            options.configuration.sharedState.breaker.threshold = try NumberText.positiveInteger(text)
        },
        OptionSpec(.breakerCooldown, value: "DURATION", .shared, "time open before a trial run (default 30s)") { options, text throws(InvalidValue) in
            options.configuration.sharedState.breaker.cooldown = try DurationText.parse(text)
        },
        OptionSpec(.quota, value: "PATH|URL", .shared, "share a retry quota in this file or a redis:// URL") { options, text throws(InvalidValue) in
            options.configuration.sharedState.quotaPath = try PathText.stateFile(text)
        },
        OptionSpec(.quotaSize, value: "N", .shared, "tokens when full (default 500); a retry costs 5") { options, text throws(InvalidValue) in
            let size = try NumberText.positiveInteger(text)
            guard size <= 1_000_000_000 else { throw InvalidValue("too large; the most is 1000000000") }
            options.configuration.sharedState.quota.size = size
        },
        OptionSpec(.redisCA, value: "FILE", .shared, "trust only this CA (PEM) for rediss:// (default: the system's)") { options, text throws(InvalidValue) in
            guard !text.isEmpty, !text.contains("\0") else { throw InvalidValue("expected the path of a PEM file of CA certificates") }
            options.configuration.sharedState.redisCAFile = text
        },
        OptionSpec(.pace, value: "PATH|URL", .shared, "pace attempts across runs: a file or a redis:// URL") { options, text throws(InvalidValue) in
            options.configuration.sharedState.pacePath = try PathText.stateFile(text)
        },
        OptionSpec(.rate, value: "N/PERIOD", .shared, "the --pace: at most N per s, m or h, like 5000/h; without it, learned from 429s") { options, text throws(InvalidValue) in
            options.configuration.sharedState.pacer.rate = try PaceRate.parse(text)
        },
        OptionSpec(.showState, .shared, "print the --breaker's, --quota's and --pace's state; run nothing") { options, _ in
            options.configuration.sharedState.action = .show
        },
        OptionSpec(.resetState, .shared, "close the --breaker, refill the --quota, free the --pace") { options, _ in
            options.configuration.sharedState.action = .reset
        },
        OptionSpec(.seed, value: "N", .attempts, "seed the jitter, to reproduce a schedule") { options, text throws(InvalidValue) in
            options.configuration.seed = try NumberText.unsigned64(text)
        },
        OptionSpec(.idempotencyKey, value: "KEY", .io, "RETRY_IDEMPOTENCY_KEY (default: new UUID per run)") { options, text throws(InvalidValue) in
            options.configuration.idempotencyKey = try IdempotencyKey.validate(text)
        },
        OptionSpec(.dryRun, .other, "print the schedule of delays; run nothing") { options, _ in
            options.configuration.presentation.dryRun = true
        },
        OptionSpec(.quiet, short: "q", .messages, "print only errors, and one line when a run fails") { options, _ in
            options.configuration.presentation.verbosity = .quiet
        },
        OptionSpec(.verbose, short: "v", .messages, "also report each attempt's start, end and duration") { options, _ in
            options.configuration.presentation.verbosity = .verbose
        },
        OptionSpec(.logFormat, value: "FORMAT", choices: LogFormat.allCases.map(\.rawValue),
                   .messages, "text (default), or json: one object per event") { options, text throws(InvalidValue) in
            guard let format = LogFormat(rawValue: text) else { throw InvalidValue("expected text or json") }
            options.configuration.presentation.logFormat = format
        },
        OptionSpec(.help, short: "h", .other, "show this help and exit") { options, _ in
            options.action = .help
        },
        OptionSpec(.version, short: "V", .other, "show the version and exit") { options, _ in
            options.action = .version
        },
    ]

    static func named(_ long: String) -> OptionSpec? { OptionName(rawValue: long).flatMap { name in all.first { $0.name == name } } }
    static func named(short: Character) -> OptionSpec? { all.first { $0.short == short } }

    /// How the option is written in messages: `--attempts`.
    var display: String { "--" + long }
}
