/// Recognises HTTP responses in a command's output, one line at a time.
///
/// It understands what curl and wget print when asked to show response
/// headers: `curl -i` and `curl -D` (bare lines), `curl -v` (lines after
/// `< `; its request lines after `> ` never count) and `wget -S` (lines
/// indented by two spaces):
///
///     HTTP/1.1 503 Service Unavailable
///     Retry-After: 120
///
/// A Retry-After line counts only inside the header block of a response:
/// after a status line and before the block ends, either at a blank line
/// or at a line printed differently from the status line (wget ends its
/// indented block without a blank line, and curl -v's body is not prefixed).
/// So a body that mentions Retry-After is not mistaken for a header. A
/// status line itself counts wherever it appears, because several
/// responses follow one another (redirects, `100 Continue`, several URLs)
/// and the last one decides; a body line that is exactly a status line
/// is therefore indistinguishable from one.
package struct HTTPResponseScanner: Sendable {
    /// The status code of the last response seen, if any.
    package private(set) var lastStatus: Int?
    /// The raw Retry-After value of that last response (reset when a new status line is seen), if any.
    package private(set) var lastRetryAfter: String?
    /// Status lines seen so far: tells which of two streams answered last,
    /// even when both saw the same status.
    package private(set) var responsesSeen = 0
    /// How the lines of the current header block are prefixed; nil outside a header block.
    private var headerPrefix: Prefix?

    /// How a tool marks the response lines it prints.
    private enum Prefix: Sendable {
        case bare  // curl -i, curl -D
        case curlVerbose  // "< "
        case indented  // wget -S
    }

    /// What one response line says, found without allocating unless it holds a Retry-After value.
    private struct Line {
        enum Content {
            case status(Int)
            case blank
            case retryAfter(String)
            case other
        }

        var prefix: Prefix
        var content: Content
    }

    package init() {}

    /// Feeds one line of output, without its "\n" (it may end in "\r").
    package mutating func scan(line: Substring) {
        let wantsHeaders = headerPrefix != nil
        // Output lines are nearly always slices of native strings, whose
        // UTF-8 is contiguous; the copy is only a fallback.
        let classified = line.utf8.withContiguousStorageIfAvailable { Self.classify($0, wantsHeaders: wantsHeaders) }
            ?? Array(line.utf8).withUnsafeBufferPointer { Self.classify($0, wantsHeaders: wantsHeaders) }
        // A request line (curl -v) is neither a response nor the end of one.
        guard let classified else { return }
        if case .status(let code) = classified.content {
            lastStatus = code
            responsesSeen += 1
            lastRetryAfter = nil
            headerPrefix = classified.prefix
            return
        }
        guard classified.prefix == headerPrefix else {
            headerPrefix = nil
            return
        }
        switch classified.content {
        case .blank: headerPrefix = nil
        case .retryAfter(let value): lastRetryAfter = value
        case .status, .other: break
        }
    }

    /// Splits off the prefix and says what the rest is; nil for a request line (curl -v's `> `).
    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>, wantsHeaders: Bool) -> Line? {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var end = bytes.count
        if end > 0 && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }

        // The prefix. curl -v writes "< " before response lines and "> "
        // before request lines, the blank ones included ("< \r").
        var start = 0
        let prefix: Prefix
        if end >= 1 && bytes[0] == UInt8(ascii: ">") && (end == 1 || bytes[1] == space) {
            return nil
        } else if end >= 1 && bytes[0] == UInt8(ascii: "<") && (end == 1 || bytes[1] == space) {
            prefix = .curlVerbose
            start = min(2, end)
        } else if end >= 1 && (bytes[0] == space || bytes[0] == tab) {
            prefix = .indented
            while start < end && (bytes[start] == space || bytes[start] == tab) { start += 1 }
        } else {
            prefix = .bare
        }
        while end > start && (bytes[end - 1] == space || bytes[end - 1] == tab) { end -= 1 }
        if start == end { return Line(prefix: prefix, content: .blank) }

        if let code = status(bytes, from: start, to: end) { return Line(prefix: prefix, content: .status(code)) }
        if wantsHeaders, let value = retryAfter(bytes, from: start, to: end) {
            return Line(prefix: prefix, content: .retryAfter(value))
        }
        return Line(prefix: prefix, content: .other)
    }

    /// The code of `HTTP/<digit>[.<digit>] <3 digits>[ reason]`, trailing blanks already dropped.
    private static func status(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let name: StaticString = "HTTP/"
        guard end - start >= 5 + 1 + 1 + 3,
              name.withUTF8Buffer({ $0.elementsEqual(bytes[start..<(start + 5)]) }) else { return nil }
        var index = start + 5
        guard isDigit(bytes[index]) else { return nil }
        index += 1
        if bytes[index] == UInt8(ascii: ".") {
            guard index + 1 < end, isDigit(bytes[index + 1]) else { return nil }
            index += 2
        }
        guard index + 4 <= end, bytes[index] == UInt8(ascii: " ") else { return nil }
        var code = 0
        for byte in bytes[(index + 1)...(index + 3)] {
            guard isDigit(byte) else { return nil }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        // After the code comes the end of the line or a space and the reason (which may be empty).
        guard index + 4 == end || bytes[index + 4] == UInt8(ascii: " "), HTTPStatusSet.valid.contains(code) else {
            return nil
        }
        return code
    }

    /// The value of a `Retry-After:` header line (name in any case), trailing blanks already dropped.
    private static func retryAfter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String? {
        let name: StaticString = "retry-after:"
        let count = name.utf8CodeUnitCount
        guard end - start >= count else { return nil }
        let matches = name.withUTF8Buffer { lower in
            lower.indices.allSatisfy { offset in
                let byte = bytes[start + offset], wanted = lower[offset]
                // Setting bit 5 lowercases an ASCII letter; other bytes must match exactly.
                return byte == wanted || (wanted >= UInt8(ascii: "a") && byte | 0x20 == wanted)
            }
        }
        guard matches else { return nil }
        var valueStart = start + count
        while valueStart < end && (bytes[valueStart] == UInt8(ascii: " ") || bytes[valueStart] == UInt8(ascii: "\t")) {
            valueStart += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<end]), as: UTF8.self)
    }
}
