import Testing
@testable import RetryCore

/// Regressions from the fuzzing of issue 8 (Tests/Fuzz/regressions). The
/// cases that used to trap run in an exit test, so a regression fails the
/// test instead of killing the test process.
@Suite struct HardeningTests {
    // MARK: durations: a digit with a combining mark is not a digit

    @Test(arguments: ["1\u{301}", "2\u{200D}50ms", "0038\u{301}7", "1.5\u{301}s", "1.05\u{301}", "3\u{20E3}"])
    func aDigitWithACombiningMarkIsRefused(text: String) async {
        await #expect(processExitsWith: .success) { [text] in
            do throws(InvalidValue) {
                let parsed = try DurationText.parse(text)
                Issue.record("accepted \(parsed)")
            } catch {
                #expect(error == InvalidValue("expected \(DurationText.expected)"))
            }
        }
    }

    // MARK: state files: a time is written as its nearest millisecond

    @Test(arguments: [
        (179557992.0215, "179557992.021"), // held as ...0214999914: the fuzzer's find
        (0.0005, "0.001"), (1.9996, "2.000"), (0, "0.000"), (12.3, "12.300"), (-1.5, "-1.500"),
        (899_999_999_999.999, "899999999999.999"),
    ])
    func aTimeIsWrittenAsItsNearestMillisecond(seconds: Double, text: String) {
        #expect(format3(seconds) == text)
    }

    @Test func aWholeNumberWithACombiningMarkIsNotTooLarge() {
        #expect(CommandLineParserTests().error(["-n", "3\u{301}", "true"]) == "-n: '3\u{301}': expected a whole number, like 3")
    }

    // MARK: messages

    @Test func tooLargeNamesTheLimitOfTheOption() {
        #expect(CommandLineParserTests().error(["-n", "99999999999999999999999", "true"])
            == "-n: '99999999999999999999999': too large; the most is 9223372036854775807")
    }

    @Test(arguments: [
        ["--breaker", "a\nb", "true"], ["-r", "1\n2", "true"], ["--stop-on", "15-\r", "true"], ["--x\ny", "true"],
        ["-j", "\r0%", "true"], ["-b", "1\ns", "true"], ["--idempotency-key", "a\nb", "true"], ["-s", "linear\r\n", "true"],
    ])
    func everyUsageErrorIsOneLine(words: [String]) throws {
        let message = try #require(CommandLineParserTests().error(words))
        #expect(!message.isEmpty)
        #expect(!message.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }, "\(message.debugDescription)")
    }

    @Test(arguments: ["retry-breaker 1\nphase\ropen\n", "retry-breaker 1\nfoo\r\nbar\n"])
    func aCorruptStateFilesMessageIsOneLine(text: String) {
        do {
            _ = try BreakerState.decode(text)
            Issue.record("accepted")
        } catch {
            #expect(!error.reason.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }, "\(error.reason.debugDescription)")
        }
    }

    // MARK: jitter

    @Test(arguments: [".000001%", "0.0000049%", "0.00001%"])
    func aTinyJittersDescriptionParsesBack(text: String) throws {
        let jitter = try Jitter.parse(text)
        #expect(throws: Never.self, "\(jitter.description)") { try Jitter.parse(jitter.description) }
    }

    // MARK: state files: what retry writes it must read back, and the rules must not trap

    static func breaker(_ key: String, _ value: String) -> String {
        var fields = ["phase": "open", "consecutive-failures": "5", "retry-at": "1795579925.120", "trial-pid": "0",
                      "trial-process-start": "0", "runs": "5", "failed-runs": "5"]
        fields[key] = value
        return "retry-breaker 1\n" + fields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n") + "\n"
    }

    @Test(arguments: ["1e300", "1e19", "9007199254741", "1e16", "-0.5", "-1e300", "nan", "inf"])
    func aRetryAtOutOfRangeIsCorrupt(retryAt: String) {
        #expect(throws: InvalidValue.self) { try BreakerState.decode(Self.breaker("retry-at", retryAt)) }
    }

    @Test(arguments: ["0", "0.0005", "1795579925.120", "899999999999.999", "900000000000"])
    func aRetryAtInRangeRoundTripsAndFormats(retryAt: String) async {
        let text: String = Self.breaker("retry-at", retryAt)
        await #expect(processExitsWith: .success) { [text = text as String] in
            let state = try BreakerState.decode(text)
            let again = try BreakerState.decode(state.encoded())
            #expect(abs(again.retryAt - state.retryAt) <= 0.0005, "\(state.retryAt) -> \(again.retryAt)")
            // What an open breaker's message and --dry-run print.
            #expect(Timestamp.utc(state.retryAt).hasSuffix("Z"))
        }
    }

    @Test(arguments: ["consecutive-failures", "runs", "failed-runs"])
    func breakerCountsPastTheirLimitAreCorrupt(key: String) {
        #expect(throws: InvalidValue.self) { try BreakerState.decode(Self.breaker(key, String(StateLimits.count + 1))) }
    }

    @Test(arguments: ["consecutive-failures", "runs", "failed-runs"])
    func breakerCountsAtTheirLimitDoNotTrap(key: String) async {
        let text: String = Self.breaker(key, String(StateLimits.count)).replacingOccurrences(of: "phase open", with: "phase closed")
        await #expect(processExitsWith: .success) { [text = text as String] in
            let decoded = try BreakerState.decode(text)
            for succeeded in [true, false] {
                var state = decoded
                CircuitBreaker().record(&state, succeeded: succeeded, interrupted: false, trial: false, now: 1_795_579_925)
                _ = try BreakerState.decode(state.encoded())
            }
        }
    }

    static func quota(_ key: String, _ value: String, balance: Int) -> String {
        var fields = ["balance": "\(balance)", "retries-taken": "0", "retries-refused": "0", "tokens-refunded": "0"]
        fields[key] = value
        return "retry-quota 1\n" + fields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n") + "\n"
    }

    @Test(arguments: ["balance", "retries-taken", "retries-refused", "tokens-refunded"])
    func quotaCountsPastTheirLimitAreCorrupt(key: String) {
        #expect(throws: InvalidValue.self) { try QuotaState.decode(Self.quota(key, String(StateLimits.count + 1), balance: 0)) }
    }

    @Test(arguments: [("balance", 500), ("retries-taken", 500), ("retries-refused", 0), ("tokens-refunded", 400), ("balance", 0)])
    func quotaCountsAtTheirLimitDoNotTrap(key: String, balance: Int) async {
        let text: String = Self.quota(key, String(StateLimits.count), balance: balance)
        await #expect(processExitsWith: .success) { [text = text as String] in
            let decoded = try QuotaState.decode(text)
            let quota = RetryQuota()
            for cost in [nil, 5, 10] as [Int?] {
                var state = decoded
                if let cost { _ = quota.take(cost, from: &state) }
                quota.refund(&state, lastRetryCost: cost)
                _ = try QuotaState.decode(state.encoded())
            }
        }
    }
}
