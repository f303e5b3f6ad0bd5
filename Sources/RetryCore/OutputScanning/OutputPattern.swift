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

    /// Byte search: the first byte 64 at a time, then compare.
    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let base = haystack.baseAddress, needle.count <= haystack.count else { return false }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            guard let offset = LiteralSearch.first(needle[0], base, from: start, to: last + 1) else { return false }
            if UnsafeRawBufferPointer(start: base + offset, count: needle.count).elementsEqual(needle) { return true }
            start = offset + 1
        }
        return false
    }
}
