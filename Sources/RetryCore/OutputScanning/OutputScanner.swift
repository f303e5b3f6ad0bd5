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
