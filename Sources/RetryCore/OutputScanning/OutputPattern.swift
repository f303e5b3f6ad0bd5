import Foundation

/// A pattern that `--retry-if-output` or `--stop-if-output` looks for in a
/// command's output. A pattern with no regex syntax is searched for as
/// bytes, which keeps pace with a fast producer; any other is an ICU regular
/// expression (as NSRegularExpression takes it), matched line by line, and
/// only on the lines that hold a literal every match needs, where the
/// pattern has one (`RequiredLiterals`).
package final class OutputPattern: Equatable, @unchecked Sendable {
    package let source: String
    private let literal: [UInt8]?
    private let regex: NSRegularExpression?
    /// The prefilter of a regex; nil runs it on every line.
    let required: RequiredLiterals?
    /// Whether the pattern can backtrack without end (see `workLimit`).
    private let guarded: Bool

    private init(source: String, literal: [UInt8]?, regex: NSRegularExpression?) {
        self.source = source
        self.literal = literal
        self.regex = regex
        required = regex == nil ? nil : RequiredLiterals.extract(from: source)
        guarded = regex != nil && Backtracking.isRisky(source)
    }

    package static func == (a: OutputPattern, b: OutputPattern) -> Bool { a.source == b.source }

    /// Whether a match may cross a line break: only a plain pattern holding one.
    var spansLines: Bool { literal?.contains(10) ?? false }

    /// Compiles `text`; an invalid one is refused with the reason.
    package static func compile(_ text: String) throws(InvalidValue) -> OutputPattern {
        guard !text.isEmpty else { throw InvalidValue("an empty pattern would match everything") }
        if !text.contains(where: { "\\^$.|?*+()[]{}".contains($0) }) {
            return OutputPattern(source: text, literal: Array(text.utf8), regex: nil)
        }
        do {
            return OutputPattern(source: text, literal: nil, regex: try NSRegularExpression(pattern: text, options: [.anchorsMatchLines]))
        } catch {
            // ICU says only "the value is invalid"; Swift's parser, whose
            // syntax is close, says what is wrong.
            let reason = (try? Regex(text)).map { _ in "not a valid ICU regular expression" }
                ?? { do { _ = try Regex(text); return "" } catch { return "\(error)" } }()
            throw InvalidValue("invalid regular expression: \(reason)")
        }
    }

    /// Whether a line of `text`, one or more whole lines, holds a match;
    /// nil when a search took more than `workLimit` (see there).
    func matches(_ text: UnsafeRawBufferPointer) -> Bool? {
        if let literal { return Self.contains(text, literal) }
        guard let regex, !text.isEmpty else { return false }
        if let required {
            var abandoned = false
            let found = required.anyCandidateLine(in: text) { line in
                guard let found = search(regex, String(decoding: line, as: UTF8.self)) else {
                    abandoned = true
                    return true
                }
                return found
            }
            return abandoned ? nil : found
        }
        // One search over the whole window is fast; only when it finds
        // something are the lines tried one by one, since a pattern such as
        // `a\sb` could otherwise match across a line break.
        guard let any = search(regex, String(decoding: text, as: UTF8.self)) else { return nil }
        guard any else { return false }
        for line in text.split(separator: 10) {
            guard let found = search(regex, String(decoding: UnsafeRawBufferPointer(rebasing: line), as: UTF8.self)) else { return nil }
            if found { return true }
        }
        return false
    }

    /// The work one search may do beyond a step per character tried.
    /// NSRegularExpression has no time limit, but with `.reportProgress`
    /// ICU calls back once per starting position and about every 10,000
    /// steps of a match, and the search stops when told. A nested
    /// repetition such as `(x+x+)+y` on 60 characters backtracks for ever;
    /// here it stops after about a second, and the run fails saying why.
    static let workLimit = 1000

    /// Whether `string` holds a match; nil when the search was abandoned.
    /// Counting the work costs a call per position (about ten times the
    /// search), so only a pattern that can backtrack without end pays it.
    private func search(_ regex: NSRegularExpression, _ string: String) -> Bool? {
        let range = NSRange(string.startIndex..., in: string)
        guard guarded else { return regex.firstMatch(in: string, range: range) != nil }
        let workLimit = Self.workLimit
        var found = false, calls = 0, abandoned = false
        regex.enumerateMatches(in: string, options: [.reportProgress], range: range) { result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
                return
            }
            calls += 1
            if calls > range.length + workLimit {
                abandoned = true
                stop.pointee = true
            }
        }
        return abandoned ? nil : found
    }

    /// Byte search: memchr for the first byte, then compare.
    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let base = haystack.baseAddress, needle.count <= haystack.count else { return false }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            guard let found = memchr(base + start, Int32(needle[0]), last - start + 1) else { return false }
            let offset = base.distance(to: UnsafeRawPointer(found))
            if memcmp(base + offset, needle, needle.count) == 0 { return true }
            start = offset + 1
        }
        return false
    }
}

/// What the scanning of an attempt's output found.
package struct OutputReport: Equatable, Sendable {
    /// The status of the last HTTP response seen on either stream.
    package var httpStatus: Int?
    /// That response's Retry-After, as written.
    package var retryAfter: String?
    package var retryPatternMatched = false
    package var stopPatternMatched = false
    /// Output that could not be delivered or held, if any.
    package var lost: OutputLoss?

    package init(httpStatus: Int? = nil, retryAfter: String? = nil, retryPatternMatched: Bool = false, stopPatternMatched: Bool = false) {
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
        self.retryPatternMatched = retryPatternMatched
        self.stopPatternMatched = stopPatternMatched
    }
}

/// What to look for in the output, from the options.
package struct OutputWatch: Equatable, Sendable {
    package var http = false
    package var retryIf: OutputPattern?
    package var stopIf: OutputPattern?
    package var holdStdout = false
    /// The most stdout `--hold-output` keeps, in bytes (`--hold-limit`);
    /// nil for no limit but the disk's.
    package var holdLimit: Int? = OutputWatch.defaultHoldLimit
    package static let defaultHoldLimit = 64 << 20

    package init() {}

    /// Whether the output must pass through `retry` at all; without any of
    /// these options it is inherited directly, with no pipe in between.
    package var isActive: Bool { http || retryIf != nil || stopIf != nil || holdStdout }
    var scans: Bool { http || retryIf != nil || stopIf != nil }
    /// A plain pattern with a line break in it is searched for across lines.
    var spansLines: Bool { (retryIf?.spansLines ?? false) || (stopIf?.spansLines ?? false) }
}

/// Scans the output of one attempt as it streams by, in bounded memory:
/// complete lines are scanned as they arrive; a partial line waits for the
/// rest of its line, up to `window` bytes, past which it is scanned as it is
/// and only a tail is kept, so a match across that cut can be missed.
package struct OutputScanner {
    package static let window = 65_536
    static let overlap = 1024
    static let midLine: UInt8 = 0x01

    private let watch: OutputWatch
    private var pending: [[UInt8]] = [[], []]
    private var http = [HTTPResponseScanner(), HTTPResponseScanner()]
    /// Which stream saw the last status line, by arrival.
    private var lastHTTP: (order: Int, stream: Int)?
    private var order = 0
    /// Patterns given up on (see `OutputPattern.workLimit`).
    private var abandoned: Set<String> = []
    package private(set) var report = OutputReport()

    package init(watch: OutputWatch) {
        self.watch = watch
    }

    /// Feeds bytes that `stream` (0 stdout, 1 stderr) just produced.
    package mutating func feed(_ bytes: UnsafeRawBufferPointer, stream: Int) {
        guard watch.scans, !bytes.isEmpty else { return }
        guard let lastNewline = bytes.lastIndex(of: 10) else {
            pending[stream] += bytes
            if pending[stream].count > Self.window {
                scanPending(stream)
                // The kept tail starts mid-line: a marker byte stops `^` and
                // a status line from matching where no line begins.
                pending[stream] = [Self.midLine] + pending[stream].suffix(Self.overlap)
            }
            return
        }
        let lines = UnsafeRawBufferPointer(rebasing: bytes[...lastNewline])
        if pending[stream].isEmpty {
            scan(lines, stream: stream)
        } else if watch.spansLines {
            var joined = pending[stream]
            joined += lines
            joined.withUnsafeBytes { scan($0, stream: stream) }
        } else {
            // Only the line that was waiting is joined, not the whole read
            // (a copy of a megabyte per read): every search is line by line.
            let firstNewline = bytes.firstIndex(of: 10) ?? lastNewline
            var head = pending[stream]
            head += bytes[...firstNewline]
            head.withUnsafeBytes { scan($0, stream: stream) }
            if firstNewline < lastNewline {
                scan(UnsafeRawBufferPointer(rebasing: bytes[(firstNewline + 1)...lastNewline]), stream: stream)
            }
        }
        pending[stream] = Array(bytes[(lastNewline + 1)...])
    }

    /// The streams have ended: scans what is left of their last lines.
    package mutating func finish() {
        for stream in 0..<2 where !pending[stream].isEmpty {
            scanPending(stream)
            pending[stream] = []
        }
        if let lastHTTP {
            report.httpStatus = http[lastHTTP.stream].lastStatus
            report.retryAfter = http[lastHTTP.stream].lastRetryAfter
        }
    }

    /// A search abandoned as too costly fails the run (a silent "no match"
    /// could retry what should stop) and the pattern is not tried again.
    private mutating func search(_ pattern: OutputPattern, in text: UnsafeRawBufferPointer, option: String) -> Bool {
        guard !abandoned.contains(pattern.source) else { return false }
        if let found = pattern.matches(text) { return found }
        abandoned.insert(pattern.source)
        report.lost = report.lost ?? .failed("\(option) '\(pattern.source)' needed too much work on one line (a nested repetition such as (x+)+ backtracks without end); simplify the pattern")
        return false
    }

    private mutating func scanPending(_ stream: Int) {
        let bytes = pending[stream]
        bytes.withUnsafeBytes { scan($0, stream: stream) }
    }

    private mutating func scan(_ text: UnsafeRawBufferPointer, stream: Int) {
        if let retryIf = watch.retryIf, !report.retryPatternMatched {
            report.retryPatternMatched = search(retryIf, in: text, option: "--retry-if-output")
        }
        if let stopIf = watch.stopIf, !report.stopPatternMatched {
            report.stopPatternMatched = search(stopIf, in: text, option: "--stop-if-output")
        }
        guard watch.http else { return }
        var start = 0
        while start < text.count {
            let end = text[start...].firstIndex(of: 10) ?? text.count
            let before = http[stream].responsesSeen
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<end]), as: UTF8.self)
            http[stream].scan(line: Substring(line))
            if http[stream].responsesSeen != before {
                order += 1
                lastHTTP = (order, stream)
            }
            start = end + 1
        }
    }
}
