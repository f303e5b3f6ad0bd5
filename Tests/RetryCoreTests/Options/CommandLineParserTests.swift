import Testing
@testable import RetryCore

@Suite struct CommandLineParserTests {
    func error(_ words: [String]) -> String? {
        do {
            _ = try CommandLineParser.parse(words)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func defaultsMatchTheDocumentation() throws {
        let configuration = try parsedConfiguration("true")
        #expect(configuration.command == ["true"])
        #expect(configuration.limits.maxAttempts == 5)
        #expect(configuration.backoff == Backoff(strategy: .exponential, base: .seconds(1), multiplier: 2, cap: .seconds(60), jitter: .full))
        #expect(configuration.policy == RetryPolicy())
        #expect(configuration.seed == nil && configuration.idempotencyKey == nil)
        #expect(!configuration.presentation.dryRun && configuration.presentation.verbosity == .normal)
    }

    /// Every option, in every form it can be written, sets what it should.
    @Test(arguments: [
        (["--attempts", "3"], 3 as Int?), (["--attempts=3"], 3), (["-n", "3"], 3), (["-n3"], 3), (["--forever"], nil),
    ])
    func attemptOptions(words: [String], expected: Int?) throws {
        let configuration = try #require(try CommandLineParser.parse(words + ["true"]).configuration)
        #expect(configuration.limits.maxAttempts == expected)
    }

    @Test func everyValueOptionInEveryForm() throws {
        let cases: [([String], (Configuration) -> Bool)] = [
            (["--strategy", "linear"], { $0.backoff.strategy == .linear }),
            (["--strategy=constant"], { $0.backoff.strategy == .constant }),
            (["-s", "decorrelated"], { $0.backoff.strategy == .decorrelated && $0.backoff.jitter == .none }),
            (["-sexponential"], { $0.backoff.strategy == .exponential }),
            (["--base", "250ms"], { $0.backoff.base == .milliseconds(250) }),
            (["--base=2"], { $0.backoff.base == .seconds(2) }),
            (["-b", "1.5s"], { $0.backoff.base == .milliseconds(1500) }),
            (["--multiplier", "1.5"], { $0.backoff.multiplier == 1.5 }),
            (["--multiplier=3"], { $0.backoff.multiplier == 3 }),
            (["--cap", "2m"], { $0.backoff.cap == .seconds(120) }),
            (["-c", "10s"], { $0.backoff.cap == .seconds(10) }),
            (["--jitter", "equal"], { $0.backoff.jitter == .equal }),
            (["-j", "20%"], { $0.backoff.jitter == .proportional(0.2) }),
            (["--jitter=none"], { $0.backoff.jitter == .none }),
            (["--retry-on", "1,3,5-9"], { $0.policy.retryOn?.description == "1,3,5-9" }),
            (["-r", "22"], { $0.policy.retryOn?.description == "22" }),
            (["--stop-on=2,64-78"], { $0.policy.stopOn.description == "2,64-78" }),
            (["--seed", "18446744073709551615"], { $0.seed == .max }),
            (["--idempotency-key", "order-42"], { $0.idempotencyKey == "order-42" }),
            (["--idempotency-key=a b"], { $0.idempotencyKey == "a b" }),
            (["--dry-run"], { $0.presentation.dryRun }),
            (["--quiet"], { $0.presentation.verbosity == .quiet }),
            (["-q"], { $0.presentation.verbosity == .quiet }),
            (["--verbose"], { $0.presentation.verbosity == .verbose }),
            (["-v"], { $0.presentation.verbosity == .verbose }),
            (["-v", "-n", "2"], { $0.presentation.verbosity == .verbose && $0.limits.maxAttempts == 2 }),
            (["-vn2"], { $0.presentation.verbosity == .verbose && $0.limits.maxAttempts == 2 }),
            (["-n", "2", "-n", "4"], { $0.limits.maxAttempts == 4 }),
        ]
        for (words, check) in cases {
            let configuration = try #require(try CommandLineParser.parse(words + ["true"]).configuration, "\(words)")
            #expect(check(configuration), "\(words)")
        }
    }

    @Test func helpAndVersionWinWhereverTheyStandAmongOptions() throws {
        #expect(try CommandLineParser.parse(["--help"]) == .help)
        #expect(try CommandLineParser.parse(["-n", "3", "-h", "true"]) == .help)
        #expect(try CommandLineParser.parse(["-vh"]) == .help)
        #expect(try CommandLineParser.parse(["--version"]) == .version)
        #expect(try CommandLineParser.parse(["-V"]) == .version)
        // After the command starts, they are the command's.
        #expect(try parsedConfiguration("grep", "--help").command == ["grep", "--help"])
    }

    @Test func theCommandIsEverythingFromTheFirstNonOptionOnUnchanged() throws {
        #expect(try parsedConfiguration("echo", "hi", "--attempts", "3").command == ["echo", "hi", "--attempts", "3"])
        #expect(try parsedConfiguration("-n", "2", "--", "-n", "x").command == ["-n", "x"])
        #expect(try parsedConfiguration("--", "--", "a").command == ["--", "a"])
        #expect(try parsedConfiguration("-", "x").command == ["-", "x"])
        #expect(try parsedConfiguration("printf", "%s", "a b", "'q'", "").command == ["printf", "%s", "a b", "'q'", ""])
        #expect(try parsedConfiguration("--dry-run").command == [])
    }

    @Test(arguments: [
        (["--atempts", "3", "true"], "unknown option --atempts; did you mean --attempts?"),
        (["--retryon", "3", "true"], "unknown option --retryon; did you mean --retry-on?"),
        (["--strategie=linear", "true"], "unknown option --strategie; did you mean --strategy?"),
        (["--frobnicate", "true"], "unknown option --frobnicate; see retry --help for the options"),
        (["-x", "true"], "unknown option -x; see retry --help for the options"),
        (["-qx", "true"], "unknown option -x in -qx; see retry --help for the options"),
        (["-attempts", "3", "true"], "unknown option -a in -attempts; did you mean --attempts?"),
        (["--attempts"], "--attempts needs a value (N); see retry --help"),
        (["-n"], "-n needs a value (N); see retry --help"),
        (["--forever=yes", "true"], "--forever takes no value; write just --forever"),
        (["--attempts", "0", "true"], "--attempts: '0': must be at least 1"),
        (["--attempts", "-1", "true"], "--attempts: '-1': cannot be negative"),
        (["--attempts", "2.5", "true"], "--attempts: '2.5': expected a whole number, like 3"),
        (["--attempts", "", "true"], "--attempts: '': expected a whole number, like 3"),
        (["-n", "99999999999999999999", "true"], "-n: '99999999999999999999': too large; the most is 9223372036854775807"),
        (["-n", "18446744073709551615", "true"], "-n: '18446744073709551615': too large; the most is 9223372036854775807"),
        (["--strategy", "fibonacci", "true"], "--strategy: 'fibonacci': expected one of constant, linear, exponential, decorrelated"),
        (["--base", "1x", "true"], "--base: '1x': expected a number with an optional unit ms, s, m or h, like 250ms, 1.5s, 2m or 1m30s"),
        (["-b", "-1s", "true"], "-b: '-1s': durations cannot be negative"),
        (["--cap", "1e300", "true"], "--cap: '1e300': expected a number with an optional unit ms, s, m or h, like 250ms, 1.5s, 2m or 1m30s"),
        (["--multiplier", "1", "true"], "--multiplier: '1': must be more than 1, or the delays would not grow"),
        (["--multiplier", "nan", "true"], "--multiplier: 'nan': expected a number more than 1, like 1.5"),
        (["--multiplier", "inf", "true"], "--multiplier: 'inf': expected a number more than 1, like 1.5"),
        (["--jitter", "half", "true"], "--jitter: 'half': expected none, full, equal or a proportion like 20%"),
        (["--retry-on", "1-x", "true"], "--retry-on: '1-x': '1-x' is not an exit status or a range of them; expected like 1,3,5-9"),
        (["--stop-on", "0", "true"], "--stop-on: '0': exit statuses go from 1 to 255; 0 is not one"),
        (["-r", "1-300", "true"], "-r: '1-300': exit statuses go from 1 to 255; 300 is not one"),
        (["--seed", "-4", "true"], "--seed: '-4': cannot be negative"),
        (["--idempotency-key", "", "true"], "--idempotency-key: '': the key cannot be empty"),
        (["--idempotency-key", "a\nb", "true"], "--idempotency-key: 'a\\nb': the key must be printable ASCII (no control characters)"),
        (["--before-retry", " ", "true"], "--before-retry: ' ': expected a shell command, like 'rm -f half-done.tmp'"),
        (["--on-give-up", "", "true"], "--on-give-up: '': expected a shell command, like 'rm -f half-done.tmp'"),
        (["--hook-timeout", "0", "--on-give-up", "x", "true"], "--hook-timeout: '0': must be more than 0; a hook always has a limit"),
        (["--hook-timeout", "5s", "true"], "--hook-timeout needs a hook to limit: --before-retry CMD or --on-give-up CMD"),
        (["--stagger", "-1s", "true"], "--stagger: '-1s': durations cannot be negative"),
        (["--forever", "-n", "3", "true"], "--forever and --attempts contradict each other; keep one"),
        (["-q", "-v", "true"], "--quiet and --verbose contradict each other; keep one"),
        (["--multiplier", "3", "-s", "linear", "true"], "--multiplier applies only to --strategy exponential; drop it or add --strategy exponential"),
        (["-s", "decorrelated", "-j", "full", "true"], "--strategy decorrelated is random by itself and takes no --jitter; drop --jitter"),
        (["--base", "10s", "--cap", "5s", "true"], "--cap 5s is less than --base 10s; raise --cap or lower --base"),
        ([], "no command given; usage: retry [options] [--] command [args...]"),
        (["-n", "3"], "no command given; usage: retry [options] [--] command [args...]"),
        (["--"], "no command given; usage: retry [options] [--] command [args...]"),
    ])
    func malformedInputGetsItsMessage(words: [String], message: String) {
        #expect(error(words) == message)
    }

    @Test func hooksAndTheStaggerAreSetAsGiven() throws {
        let configuration = try parsedConfiguration("--before-retry", "rm -rf out && mkdir out", "--on-give-up=notify '$X'",
                                                    "--hook-timeout", "2m", "--stagger", "90s", "true")
        #expect(configuration.hooks.beforeRetry == "rm -rf out && mkdir out")
        #expect(configuration.hooks.onGiveUp == "notify '$X'")
        #expect(configuration.hooks.timeout == .seconds(120))
        #expect(configuration.backoff.stagger == .seconds(90))
        let defaults = try parsedConfiguration("true")
        #expect(defaults.hooks == Hooks() && defaults.hooks.timeout == .seconds(30) && defaults.backoff.stagger == .zero)
    }

    @Test func aBaseAboveTheDefaultCapRaisesTheCap() throws {
        let configuration = try parsedConfiguration("--base", "2m", "true")
        #expect(configuration.backoff.cap == .seconds(120))
        #expect(try parsedConfiguration("-s", "decorrelated", "-j", "none", "true").backoff.jitter == .none)
    }

    @Test func theKeyIsLimitedTo255Characters() throws {
        #expect(try parsedConfiguration("--idempotency-key", String(repeating: "k", count: 255), "true").idempotencyKey?.count == 255)
        #expect(error(["--idempotency-key", String(repeating: "k", count: 256), "true"])?.hasSuffix("the key is longer than 255 characters") == true)
    }

    /// Found by fuzzing: echoed input could split a message over lines, and a
    /// digit with a combining mark passed as a digit and trapped.
    @Test func messagesStayOneLineAndOddDigitsAreRefused() {
        for words in [["--a\nb", "true"], ["--breaker", "x\ny", "true"], ["-n", "1\r", "true"], ["-\u{7}", "true"]] {
            let message = error(words)
            #expect(message != nil && !message!.contains("\n") && !message!.contains("\r"), "\(words)")
        }
        #expect(error(["--base", "1\u{301}s", "true"]) == "--base: '1\u{301}s': expected a number with an optional unit ms, s, m or h, like 250ms, 1.5s, 2m or 1m30s")
        #expect(error(["-n", "1\u{301}", "true"]) == "-n: '1\u{301}': expected a whole number, like 3")
    }
}

extension Invocation {
    var configuration: Configuration? {
        if case .run(let configuration) = self { return configuration }
        return nil
    }
}

/// A value given as a separate word that looks like an option is refused,
/// with the way to write it if it really is the value.
@Suite struct OptionLikeValueTests {
    func error(_ words: [String]) -> String? { CommandLineParserTests().error(words) }

    @Test func anOptionAfterAPathOptionIsNotTakenAsThePath() {
        #expect(error(["--breaker", "--timeout", "5s", "--", "true"])
            == "--breaker needs a value (PATH|URL), but '--timeout' looks like an option; if it is the value, write --breaker=--timeout or --breaker ./--timeout")
    }

    @Test func theEndOfOptionsIsNotAValue() {
        #expect(error(["-n", "--", "true"])
            == "-n needs a value (N), but '--' looks like an option; if it is the value, write --attempts=--")
        #expect(error(["--retry-if-output", "-v", "true"])
            == "--retry-if-output needs a value (REGEX), but '-v' looks like an option; if it is the value, write --retry-if-output=-v")
    }

    @Test func aNegativeNumberStillGetsTheOptionsOwnReason() {
        #expect(error(["-n", "-1", "true"]) == "-n: '-1': cannot be negative")
        #expect(error(["--base", "-.5", "true"]) == "--base: '-.5': durations cannot be negative")
    }

    @Test func aPathIsNeverTakenForANegativeNumber() {
        #expect(error(["--quota", "-5", "true"])
            == "--quota needs a value (PATH|URL), but '-5' looks like an option; if it is the value, write --quota=-5 or --quota ./-5")
    }

    @Test func theWrittenOutFormsTakeTheValue() throws {
        let joined = try parsedConfiguration("--breaker=--odd", "--retry-if-output=-x", "true")
        #expect(joined.sharedState.breakerPath == "--odd")
        #expect(joined.watch.retryIf?.source == "-x")
        #expect(try parsedConfiguration("--breaker", "./--odd", "true").sharedState.breakerPath == "./--odd")
    }
}

@Suite struct HoldLimitOptionTests {
    @Test func sizesTakeBinaryUnits() throws {
        #expect(try parsedConfiguration("--hold-output", "--hold-limit", "512K", "true").watch.holdLimit == 512 << 10)
        #expect(try parsedConfiguration("--hold-output", "--hold-limit=2GiB", "true").watch.holdLimit == 2 << 30)
        #expect(try parsedConfiguration("--hold-output", "--hold-limit", "1000", "true").watch.holdLimit == 1000)
        #expect(try parsedConfiguration("--hold-output", "--hold-limit", "0", "true").watch.holdLimit == nil)
        #expect(try parsedConfiguration("--hold-output", "true").watch.holdLimit == 64 << 20)
    }

    @Test func badSizesAndAMissingHoldOutputAreRefused() {
        #expect(throws: UsageError("--hold-limit: '12X': expected a size, like 64M, 512K or 1G")) {
            try CommandLineParser.parse(["--hold-output", "--hold-limit", "12X", "true"])
        }
        #expect(throws: UsageError("--hold-limit: '99999999999G': too large")) {
            try CommandLineParser.parse(["--hold-output", "--hold-limit", "99999999999G", "true"])
        }
        #expect(throws: UsageError("--hold-limit applies only with --hold-output; add --hold-output")) {
            try CommandLineParser.parse(["--hold-limit", "1M", "true"])
        }
    }

    @Test func sizesAreShownInTheirLargestExactUnit() {
        #expect(ByteSizeText.format(64 << 20) == "64MiB")
        #expect(ByteSizeText.format(1536) == "1536B")
        #expect(ByteSizeText.format(3 << 10) == "3KiB")
    }
}
