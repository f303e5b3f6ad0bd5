// libFuzzer harness for RetryCore's text parsers.
//
// Compiled together with Sources/RetryCore/*.swift into one module named
// RetryCore (see Tests/Fuzz/run), so internal symbols such as DecimalText,
// StateRecord.decode and format3 are visible without @testable.
//
// The target is chosen by the environment variable FUZZ_TARGET:
//
//   parser    CommandLineParser.parse on argv split from the input on NUL bytes
//   duration  DurationText.parse
//   codes     ExitCodeSet.parse (allowed 0...255 and 1...255)
//   jitter    Jitter.parse
//   breaker   BreakerState.decode, re-encode, and the breaker's rules applied
//   quota     QuotaState.decode, re-encode, and the quota's rules applied
//   http      HTTPResponseScanner on the input's lines (a command's output,
//             which a server controls), then RetryAfter.delay on what it found
//             and on the whole input
//   httpcodes HTTPStatusSet.parse (--retry-on-http)
//   resp, redisurl  the Redis store's parsers (RedisTargets.swift)
//
// Unset (or `all`), the first byte of the input picks the target (byte % 10,
// in the order above) and the rest is the input.
//
// Properties checked, each a crash (and a saved artifact) when broken:
//   - no trap, crash or hang (libFuzzer -timeout catches hangs);
//   - a rejected input gives an error message that is non-empty and one line
//     (no LF, no CR);
//   - an accepted duration lies in 0...DurationText.maximum, and equals an
//     exact integer reference within 1ns;
//   - an accepted code list holds only statuses in `allowed` (so in 0...255)
//     and its canonical form parses back to the same set;
//   - an accepted jitter is a proportion in 0...1;
//   - an accepted command line gives a configuration whose durations are in
//     range, whose command is the tail of argv unchanged, and whose --dry-run
//     schedule and delays can be computed (delays in 0...cap);
//   - a scanned HTTP status lies in 100...599; a Retry-After delay, when
//     there is one, lies in 0...DurationText.maximum, and delay-seconds
//     equal their exact value, clamped;
//   - an accepted HTTP status list holds only 100...599 and its canonical
//     form parses back to the same set;
//   - a decoded state re-encodes to text that decodes to the same value
//     (`retry-at` to the millisecond, which is what the format keeps), and
//     encoding is then a fixed point; the breaker's or quota's rules applied
//     to a decoded state do not trap, and their result encodes and decodes.
//
// FUZZ_KNOWN (comma-separated) turns off the checks for bugs already
// reported, so that a long run can look for new ones. Ids:
//   multiline        error messages that echo a value holding a newline
//   combining-digit  a digit with a combining mark, e.g. "1\u{301}" (traps
//                    in DecimalText.scaled)
//   retry-at-range   a retry-at that format3 cannot write back: from about
//                    9.2e15 s its Int64 of milliseconds traps (and timestamp()
//                    traps from 9.2e18 s); -1 < x < 0 loses its sign. The
//                    harness then skips every x < 0 or x >= 2^53/1000 s (where
//                    milliseconds stop being exact in a Double)
//   state-overflow   counts near Int.max that the rules' `+= 1` overflows
//   jitter-exponent  a proportion under 0.001% whose description ("1e-06%")
//                    Jitter.parse refuses

#if canImport(Glibc)
import Glibc
#endif

private enum Target: Int, CaseIterable {
    case parser, duration, codes, jitter, breaker, quota, http, httpcodes, resp, redisurl
    init?(name: String) {
        switch name {
        case "parser": self = .parser
        case "duration": self = .duration
        case "codes": self = .codes
        case "jitter": self = .jitter
        case "breaker": self = .breaker
        case "quota": self = .quota
        case "http": self = .http
        case "httpcodes": self = .httpcodes
        case "resp": self = .resp
        case "redisurl": self = .redisurl
        default: return nil
        }
    }
}

private let selectedTarget: Target? = {
    guard let raw = getenv("FUZZ_TARGET") else { return nil }
    let name = String(cString: raw)
    if name.isEmpty || name == "all" { return nil }
    guard let target = Target(name: name) else {
        fputs("Harness: unknown FUZZ_TARGET '\(name)'\n", stderr)
        exit(2)
    }
    return target
}()

private let known: Set<String> = {
    guard let raw = getenv("FUZZ_KNOWN") else { return [] }
    return Set(String(cString: raw).split(separator: ",").map { String($0) })
}()

/// Stops the run with a message libFuzzer shows next to the saved input.
private func fail(_ what: String, _ detail: @autoclosure () -> String = "") -> Never {
    fatalError("FUZZ PROPERTY: \(what) \(detail())")
}

private func check(_ condition: Bool, _ what: String, _ detail: @autoclosure () -> String = "") {
    if !condition { fail(what, detail()) }
}

/// Debug rendering with control characters escaped.
private func show(_ text: String) -> String {
    "\"" + text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined() + "\""
}

private func checkMessage(_ message: String, input: @autoclosure () -> String) {
    check(!message.isEmpty, "empty error message", "for \(input())")
    if !known.contains("multiline") {
        check(!message.utf8.contains(10) && !message.utf8.contains(13),
              "error message is not one line", "\(show(message)) for \(input())")
    }
}

/// A character that `c >= "0" && c <= "9"` admits but that is not an ASCII
/// digit: DecimalText admits it, then `asciiValue!` traps.
private func hasCombiningDigit(_ text: String) -> Bool {
    text.contains { $0 >= "0" && $0 <= "9" && $0.asciiValue == nil }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = size > 0 ? Array(UnsafeBufferPointer(start: data!, count: size)) : []
    let target: Target
    if let selectedTarget {
        target = selectedTarget
    } else {
        guard let first = bytes.first else { return 0 }
        target = Target(rawValue: Int(first) % Target.allCases.count)!
        bytes.removeFirst()
    }
    switch target {
    case .parser: fuzzParser(bytes)
    case .duration: fuzzDuration(String(decoding: bytes, as: UTF8.self))
    case .codes: fuzzCodes(String(decoding: bytes, as: UTF8.self))
    case .jitter: fuzzJitter(String(decoding: bytes, as: UTF8.self))
    case .breaker: fuzzBreaker(String(decoding: bytes, as: UTF8.self))
    case .quota: fuzzQuota(String(decoding: bytes, as: UTF8.self))
    case .http: fuzzHTTP(bytes)
    case .httpcodes: fuzzHTTPCodes(String(decoding: bytes, as: UTF8.self))
    case .resp: fuzzRESP(bytes)
    case .redisurl: fuzzRedisURL(String(decoding: bytes, as: UTF8.self))
    }
    return 0
}

// MARK: - Option parser

private func fuzzParser(_ bytes: [UInt8]) {
    // As the kernel hands argv over: NUL-separated, each decoded the way
    // CommandLine.arguments decodes (invalid UTF-8 repaired).
    let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    if known.contains("combining-digit") && arguments.contains(where: hasCombiningDigit) { return }
    let invocation: Invocation
    do {
        invocation = try CommandLineParser.parse(arguments)
    } catch {
        checkMessage(error.message, input: arguments.map(show).joined(separator: " "))
        return
    }
    guard case .run(let configuration) = invocation else { return }
    checkConfiguration(configuration, arguments: arguments)
}

private func inRange(_ duration: Duration) -> Bool {
    duration >= .zero && duration <= DurationText.maximum
}

private func checkConfiguration(_ configuration: Configuration, arguments: [String]) {
    let described = { arguments.map(show).joined(separator: " ") }
    let backoff = configuration.backoff
    for (name, value) in [("base", backoff.base), ("cap", backoff.cap), ("kill-after", configuration.limits.killAfter),
                          ("breaker-cooldown", configuration.sharedState.breaker.cooldown)] {
        check(inRange(value), "--\(name) out of range", "\(value) for \(described())")
    }
    for (name, value) in [("timeout", configuration.limits.timeout), ("budget", configuration.limits.budget)] {
        if let value { check(inRange(value) && value > .zero, "--\(name) out of range", "\(value) for \(described())") }
    }
    check(backoff.cap >= backoff.base, "cap below base", described())
    check(backoff.multiplier > 1 && backoff.multiplier.isFinite, "multiplier", "\(backoff.multiplier) for \(described())")
    if case .proportional(let p) = backoff.jitter {
        check(p >= 0 && p <= 1, "jitter proportion", "\(p) for \(described())")
    }
    if backoff.strategy == .decorrelated { check(backoff.jitter == .none, "decorrelated with jitter", described()) }
    if let attempts = configuration.limits.maxAttempts { check(attempts >= 1, "attempts < 1", described()) }
    check(configuration.sharedState.breaker.threshold >= 1, "breaker threshold", described())
    check((1...1_000_000_000).contains(configuration.sharedState.quota.size), "quota size", described())
    for set in [configuration.policy.retryOn, configuration.policy.stopOn].compactMap({ $0 }) {
        check(!set.contains(0), "a code list holds 0", "\(set) for \(described())")
    }
    // The command is the tail of argv, unchanged.
    let command = configuration.command
    check(command.count <= arguments.count && Array(arguments.suffix(command.count)) == command,
          "command is not the tail of argv", described())
    check(!command.isEmpty || configuration.presentation.dryRun, "no command and no --dry-run", described())
    if let key = configuration.idempotencyKey {
        check(!key.isEmpty && key.utf8.count <= 255 && key.utf8.allSatisfy { (0x20...0x7E).contains($0) },
              "idempotency key", show(key))
    }
    for path in [configuration.sharedState.breakerPath, configuration.sharedState.quotaPath].compactMap({ $0 }) {
        check(!path.isEmpty && !path.utf8.contains(0) && !path.utf8.contains(10), "state path", show(path))
    }

    // What --dry-run prints, and the delays a run would sleep.
    let rendered = Schedule(configuration).render()
    check(rendered.hasSuffix("\n"), "schedule does not end with a newline", described())
    var random = SplitMix64(seed: configuration.seed ?? 42)
    var previous: Duration?
    for failures in [1, 2, 3, 10, 64, 1_000, 1_000_000, Int.max] {
        let delay = backoff.delay(after: failures, previous: previous, using: &random)
        check(delay >= .zero && delay <= backoff.cap, "delay outside 0...cap",
              "\(delay) after \(failures) for \(described())")
        let bounds = backoff.bounds(after: failures)
        check(bounds.lowerBound >= .zero && bounds.upperBound <= backoff.cap, "bounds outside 0...cap",
              "\(bounds) after \(failures) for \(described())")
        previous = delay
    }
}

// MARK: - Durations

private func fuzzDuration(_ text: String) {
    if known.contains("combining-digit") && hasCombiningDigit(text) { return }
    let duration: Duration
    do {
        duration = try DurationText.parse(text)
    } catch {
        checkMessage(error.reason, input: show(text))
        if let expected = referenceNanoseconds(text), expected < 1_000_000_000_000_000_000 {
            fail("refused a valid duration", "\(show(text)) (\(expected)ns): \(error.reason)")
        }
        return
    }
    check(inRange(duration), "accepted duration out of range", "\(duration) for \(show(text))")
    if let expected = referenceNanoseconds(text) {
        let (seconds, attoseconds) = duration.components
        let got = Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
        check(got - expected <= 1 && expected - got <= 1, "duration differs from the exact value",
              "\(got)ns, expected \(expected)ns, for \(show(text))")
    } else {
        fail("accepted a duration the reference grammar refuses", show(text))
    }
    let formatted = DurationText.format(duration)
    check(!formatted.isEmpty && !formatted.utf8.contains(10), "format", show(formatted))
}

/// The exact value in nanoseconds of `digits[.digits][unit]`, or of a sum
/// of such parts with units from h down to ms, each once (ASCII only);
/// each part rounded half up, with integer arithmetic; nil when not of that form.
private func referenceNanoseconds(_ text: String) -> Int128? {
    var parts: [Substring] = []
    var rest = Substring(text)
    while let end = rest.firstIndex(where: { "hms".contains($0) }) {
        let unitEnd = rest[end...].hasPrefix("ms") ? rest.index(end, offsetBy: 2) : rest.index(after: end)
        parts.append(rest[..<unitEnd])
        rest = rest[unitEnd...]
    }
    if !rest.isEmpty { parts.append(rest) }
    let order = ["h", "m", "s", "ms"]
    let ranks = parts.map { part in order.lastIndex { part.hasSuffix($0) } ?? -1 }
    guard !parts.isEmpty, parts.count == 1 || (!ranks.contains(-1) && ranks == ranks.sorted() && Set(ranks).count == ranks.count) else {
        return nil
    }
    var total: Int128 = 0
    for part in parts {
        guard let value = referencePart(part) else { return nil }
        if value == Int128.max { return value }
        total += value
    }
    return total
}

/// One part of `referenceNanoseconds`.
private func referencePart(_ part: Substring) -> Int128? {
    var body = part
    var unit: Int128 = 1_000_000_000
    for (suffix, nanoseconds) in [("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
                                  ("h", 3_600_000_000_000)] as [(String, Int128)] where body.hasSuffix(suffix) {
        body = body.dropLast(suffix.count)
        unit = nanoseconds
        break
    }
    let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
    let isDigits = { (part: Substring) in part.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
    guard isDigits(whole), isDigits(fraction), !(whole.isEmpty && fraction.isEmpty),
          !(parts.count == 2 && fraction.isEmpty) else { return nil }
    // Leading zeros are fine; more than 20 significant digits is over the maximum anyway.
    let significant = whole.drop { $0 == "0" }
    guard significant.count <= 20 else { return Int128.max }
    var value: Int128 = 0
    for digit in significant.utf8 { value = value * 10 + Int128(digit - 48) }
    value *= unit
    // Fraction: the first 30 digits are plenty for nanosecond rounding.
    var numerator: Int128 = 0, denominator: Int128 = 1
    for digit in fraction.prefix(30).utf8 {
        numerator = numerator * 10 + Int128(digit - 48)
        denominator *= 10
    }
    // numerator * unit can pass Int128's range: multiply and divide in steps.
    let scaled = mulDivRound(numerator, unit, denominator)
    return value + scaled
}

/// round(a * b / c) for 0 <= a < c, without overflowing Int128.
private func mulDivRound(_ a: Int128, _ b: Int128, _ c: Int128) -> Int128 {
    // a < c <= 10^30 and b <= 3.6e12: split b into whole multiples.
    var result: Int128 = 0, remainder: Int128 = 0
    // Long multiplication digit by digit of b (base 10), keeping a*b/c exact.
    var digits: [Int128] = []
    var rest = b
    while rest > 0 { digits.append(rest % 10); rest /= 10 }
    for digit in digits.reversed() {
        // (result, remainder) represent (result + remainder / c); times 10 plus a*digit/c.
        result *= 10
        remainder *= 10
        remainder += a * digit
        result += remainder / c
        remainder %= c
    }
    return remainder * 2 >= c ? result + 1 : result
}

// MARK: - Exit-code lists

private func fuzzCodes(_ text: String) {
    for allowed in [Int32(0)...255, 1...255] {
        let set: ExitCodeSet
        do {
            set = try ExitCodeSet.parse(text, allowed: allowed)
        } catch {
            checkMessage(error.reason, input: show(text))
            continue
        }
        let members = (Int32(-1)...256).filter(set.contains)
        check(!members.isEmpty, "accepted an empty code list", show(text))
        check(members.allSatisfy(allowed.contains), "accepted a code outside \(allowed)", "\(set) for \(show(text))")
        let canonical = set.description
        let again: ExitCodeSet
        do {
            again = try ExitCodeSet.parse(canonical, allowed: allowed)
        } catch {
            fail("canonical form does not parse", "\(show(canonical)): \(error.reason)")
        }
        check(again == set, "canonical form parses to another set", "\(canonical) for \(show(text))")
    }
}

// MARK: - Jitter

private func fuzzJitter(_ text: String) {
    if known.contains("combining-digit") && hasCombiningDigit(text) { return }
    let jitter: Jitter
    do {
        jitter = try Jitter.parse(text)
    } catch {
        checkMessage(error.reason, input: show(text))
        return
    }
    if case .proportional(let p) = jitter {
        check(p.isFinite && p >= 0 && p <= 1, "jitter proportion out of 0...1", "\(p) for \(show(text))")
        // Its description parses back to about the same proportion.
        if known.contains("jitter-exponent") && p > 0 && p < 1e-5 { return }
        guard case .proportional(let q)? = try? Jitter.parse(jitter.description) else {
            fail("jitter description does not parse", "\(jitter.description) for \(show(text))")
        }
        check(abs(p - q) <= 1e-8, "jitter description changes the proportion", "\(p) vs \(q) for \(show(text))")
    } else {
        check(Jitter.names.contains(text), "a named jitter from another text", show(text))
    }
    for unit in [0, 0.5, 0x1.fffffffffffffp-1] {
        let delay = jitter.apply(to: 10, unit: unit)
        check(delay.isFinite && delay >= 0 && delay <= 20, "jittered delay out of 0...2t", "\(delay) for \(show(text))")
    }
}

// MARK: - HTTP responses in the output, Retry-After

private func fuzzHTTP(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    var scanner = HTTPResponseScanner()
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        scanner.scan(line: line)
        if let status = scanner.lastStatus {
            check((100...599).contains(status), "scanned status out of 100...599", "\(status) for \(show(text))")
        }
    }
    // Two clocks: the present, and one far off (RFC 850 two-digit years depend on it).
    for now in [1_795_579_925.12, 0, -1e12, 1e15, .nan] {
        for value in [scanner.lastRetryAfter, text].compactMap({ $0 }) {
            guard let delay = RetryAfter.delay(value, now: now) else { continue }
            check(inRange(delay), "Retry-After delay out of range", "\(delay) for \(show(value)) at \(now)")
            let trimmed = value.trimmingCharacters(in: " \t\r\n")
            if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                let digits = trimmed.drop { $0 == "0" }
                let expected: Duration = digits.count > 10 ? DurationText.maximum
                    : min(.seconds(Int64(digits.isEmpty ? "0" : String(digits))!), DurationText.maximum)
                check(delay == expected, "delay-seconds differ from their value", "\(delay) for \(show(value))")
            }
        }
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        let blanks = Set(set.unicodeScalars)
        let scalars = Array(unicodeScalars)
        guard let first = scalars.firstIndex(where: { !blanks.contains($0) }),
              let last = scalars.lastIndex(where: { !blanks.contains($0) }) else { return "" }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first...last])
        return String(result)
    }
}

private func fuzzHTTPCodes(_ text: String) {
    let set: HTTPStatusSet
    do {
        set = try HTTPStatusSet.parse(text)
    } catch {
        checkMessage(error.reason, input: show(text))
        return
    }
    let members = (0...700).filter(set.contains)
    check(!members.isEmpty, "accepted an empty HTTP status list", show(text))
    check(members.allSatisfy { (100...599).contains($0) }, "accepted a status outside 100-599", "\(set) for \(show(text))")
    let canonical = set.description
    guard let again = try? HTTPStatusSet.parse(canonical) else { fail("canonical form does not parse", show(canonical)) }
    check(again == set, "canonical form parses to another set", "\(canonical) for \(show(text))")
}

// MARK: - State files

private let retryAtLimit = 9_007_199_254_740.992 // 2^53 / 1000 s: below it, a Double holds whole milliseconds exactly

private func retryAtIsWritable(_ value: Double) -> Bool {
    value >= 0 && value < retryAtLimit
}

private func fuzzBreaker(_ text: String) {
    let state: BreakerState
    do {
        state = try BreakerState.decode(text)
    } catch {
        checkMessage(error.reason, input: show(text))
        return
    }
    if known.contains("retry-at-range") && !retryAtIsWritable(state.retryAt) { return }
    let again = roundTrip(state, text: text)
    check(abs(again.retryAt - state.retryAt) <= 0.0005, "retry-at changes by more than rounding",
          "\(state.retryAt) -> \(again.retryAt) for \(show(text))")
    var a = again, b = state
    a.retryAt = 0
    b.retryAt = 0
    check(a == b, "breaker state changes through encode/decode", "\(state) -> \(again) for \(show(text))")

    // What a run does with it: admit, the message or timestamp, record, write back.
    if known.contains("state-overflow") && [state.runs, state.failedRuns, state.consecutiveFailures].contains(where: { $0 > Int.max - 16 }) {
        return
    }
    let lease = BreakerState.Lease(pid: 4242, processStart: 77)
    for (threshold, cooldown) in [(1, Duration.zero), (5, .seconds(30)), (Int.max, DurationText.maximum)] {
        let breaker = CircuitBreaker(threshold: threshold, cooldown: cooldown)
        for now in [0, 1_795_579_925.12, state.retryAt, state.retryAt.nextUp] {
            for (succeeded, interrupted) in [(true, false), (false, false), (false, true)] {
                var current = state
                let admission = breaker.admit(&current, now: now, as: lease, holderAlive: { $0.pid % 2 == 0 })
                if case .rejected(let retryAt) = admission, retryAt != 0 {
                    _ = Timestamp.utc(retryAt)
                    _ = DurationText.format(.clampedSeconds(retryAt - now))
                    _ = roundTrip(current, text: text)
                    continue
                }
                breaker.record(&current, succeeded: succeeded, interrupted: interrupted,
                               trial: admission == .trial, now: now)
                if known.contains("retry-at-range") && !retryAtIsWritable(current.retryAt) { continue }
                _ = roundTrip(current, text: text)
            }
        }
    }
}

private func fuzzQuota(_ text: String) {
    let state: QuotaState
    do {
        state = try QuotaState.decode(text)
    } catch {
        checkMessage(error.reason, input: show(text))
        return
    }
    let again = roundTrip(state, text: text)
    check(again == state, "quota state changes through encode/decode", "\(state) -> \(again) for \(show(text))")

    if known.contains("state-overflow")
        && [state.balance, state.retriesTaken, state.retriesRefused, state.tokensRefunded].contains(where: { $0 > Int.max - 16 }) {
        return
    }
    for size in [1, 500, 1_000_000_000] {
        let quota = RetryQuota(size: size)
        for cost in [nil, 5, 10] as [Int?] {
            var current = state
            if let cost { _ = quota.take(cost, from: &current) }
            quota.refund(&current, lastRetryCost: cost)
            check(current.balance >= 0 && current.balance <= max(size, state.balance), "balance out of range",
                  "\(current.balance) size \(size) for \(show(text))")
            _ = roundTrip(current, text: text)
        }
    }
}

/// encode, decode, encode again: the second text must equal the first.
@discardableResult
private func roundTrip<Record: StateRecord>(_ record: Record, text: String) -> Record {
    let encoded = record.encoded()
    let decoded: Record
    do {
        decoded = try Record.decode(encoded)
    } catch {
        fail("re-encoded state does not decode", "\(show(encoded)): \(error.reason) (input \(show(text)))")
    }
    let encodedAgain = decoded.encoded()
    check(encodedAgain == encoded, "encoding is not a fixed point", "\(show(encoded)) vs \(show(encodedAgain))")
    return decoded
}
