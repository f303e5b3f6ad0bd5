/// A small, versioned, human-readable state file: a header line naming the
/// kind and version, then one `key value` per line.
///
///     retry-breaker 1
///     phase open
///     consecutive-failures 5
///     retry-at 1795579925.120
///     ...
package protocol StateRecord {
    /// The header's first word, e.g. `retry-breaker`.
    static var kind: String { get }
    /// The header's version; a file of another version is treated as corrupt.
    static var version: Int { get }
    var fields: [(key: String, value: String)] { get }
    init(fields: [String: String]) throws(InvalidValue)
}

extension StateRecord {
    package func encoded() -> String {
        (["\(Self.kind) \(Self.version)"] + fields.map { "\($0.key) \($0.value)" }).joined(separator: "\n") + "\n"
    }

    package static func decode(_ text: String) throws(InvalidValue) -> Self {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty, lines.removeFirst() == "\(kind) \(version)" else {
            throw InvalidValue("it does not start with '\(kind) \(version)'")
        }
        var fields: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { throw InvalidValue("the line '\(UsageError.shown(line))' is not 'key value'") }
            fields[String(parts[0])] = String(parts[1])
        }
        return try Self(fields: fields)
    }
}

/// Reading typed values out of a record's fields.
extension Dictionary where Key == String, Value == String {
    func required<T: LosslessStringConvertible>(_ key: String, as type: T.Type = T.self) throws(InvalidValue) -> T {
        guard let text = self[key], let value = T(text) else { throw InvalidValue("'\(key)' is missing or malformed") }
        return value
    }
}

extension BreakerState: StateRecord {
    package static let kind = "retry-breaker"
    package static let version = 1

    package var fields: [(key: String, value: String)] {
        [("phase", phase.rawValue), ("consecutive-failures", "\(consecutiveFailures)"),
         ("retry-at", String(format3(retryAt))), ("retry-after-until", format3(retryAfterUntil)),
         ("trial-pid", "\(trial?.pid ?? 0)"), ("trial-process-start", "\(trial?.processStart ?? 0)"),
         ("runs", "\(runs)"), ("failed-runs", "\(failedRuns)")]
    }

    package init(fields: [String: String]) throws(InvalidValue) {
        self.init()
        guard let phase = Phase(rawValue: fields["phase"] ?? "") else { throw InvalidValue("'phase' is missing or malformed") }
        self.phase = phase
        consecutiveFailures = try fields.required("consecutive-failures")
        retryAt = try fields.required("retry-at")
        // Added after version 1 was out: older files have none.
        retryAfterUntil = fields["retry-after-until"] == nil ? 0 : try fields.required("retry-after-until")
        let pid: Int32 = try fields.required("trial-pid")
        let start: UInt64 = try fields.required("trial-process-start")
        trial = pid > 0 ? Lease(pid: pid, processStart: start) : nil
        runs = try fields.required("runs")
        failedRuns = try fields.required("failed-runs")
        // Counts far beyond any real history would overflow when counted
        // on; times before 1970 or past the year 30000 are no real times.
        guard [consecutiveFailures, runs, failedRuns].allSatisfy({ (0...StateLimits.count).contains($0) }),
              [retryAt, retryAfterUntil].allSatisfy({ (0...StateLimits.time).contains($0) }) else {
            throw InvalidValue("a count or time is out of range")
        }
    }
}

extension QuotaState: StateRecord {
    package static let kind = "retry-quota"
    package static let version = 1

    package var fields: [(key: String, value: String)] {
        [("balance", "\(balance)"), ("retries-taken", "\(retriesTaken)"), ("retries-refused", "\(retriesRefused)"),
         ("tokens-refunded", "\(tokensRefunded)"), ("refilled-at", format3(refilledAt)), ("tokens-refilled", "\(tokensRefilled)")]
    }

    package init(fields: [String: String]) throws(InvalidValue) {
        self.init(balance: try fields.required("balance"))
        retriesTaken = try fields.required("retries-taken")
        retriesRefused = try fields.required("retries-refused")
        tokensRefunded = try fields.required("tokens-refunded")
        // Added after version 1 was out: older files have none.
        refilledAt = fields["refilled-at"] == nil ? 0 : try fields.required("refilled-at")
        tokensRefilled = fields["tokens-refilled"] == nil ? 0 : try fields.required("tokens-refilled")
        guard [balance, retriesTaken, retriesRefused, tokensRefunded, tokensRefilled].allSatisfy({ (0...StateLimits.count).contains($0) }),
              (0...StateLimits.time).contains(refilledAt) else {
            throw InvalidValue("a count or time is out of range")
        }
    }
}

/// Seconds with millisecond precision, as written in state files: the
/// nearest millisecond.
///
/// The whole seconds and the fraction are taken apart first (exactly) and
/// only the fraction is scaled: `seconds * 1000` would round once to a
/// Double and again to an integer, and 179557992.0215, held as
/// ...0214999914, came out as .022 instead of .021 (found by fuzzing).
func format3(_ seconds: Double) -> String {
    let magnitude = abs(seconds)
    var whole = magnitude.rounded(.down)
    var milliseconds = Int64(((magnitude - whole) * 1000).rounded())
    if milliseconds == 1000 {
        whole += 1
        milliseconds = 0
    }
    let sign = seconds < 0 && (whole > 0 || milliseconds > 0) ? "-" : ""
    let digits = String(milliseconds)
    return sign + String(Int64(whole)) + "." + String(repeating: "0", count: 3 - digits.count) + digits
}
