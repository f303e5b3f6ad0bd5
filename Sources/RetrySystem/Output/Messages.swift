import RetryCore

/// `retry`'s own messages on stderr, written on a best-effort basis: they
/// must never be what keeps `retry` from ending. A reader of stderr that
/// takes nothing is waited for at most `OutputSink.readerIdleLimit`, and not
/// at all once a signal has come (the run is ending: 128+N must not wait
/// behind a line). What cannot be written then is dropped and counted; the
/// next message that gets through says how many were.
enum Messages {
    private struct State {
        var sink: OutputSink?
        /// Readable once a signal has come; -1 until `main` says which.
        var wake: Int32 = -1
        /// The last message was dropped because nobody read: the next is
        /// tried without waiting, until one gets through whole.
        var stalled = false
        var dropped = 0
    }

    private static let state = Locked(State())

    /// From now on, a write stops waiting as soon as `wake` is readable.
    static func giveUpWhenReadable(_ wake: Int32) {
        state.withLock { $0.wake = wake }
    }

    /// Writes `text` to stderr, on a line of its own when the command's
    /// relayed output (or a message cut short) left one unfinished.
    static func write(_ text: String) {
        state.withLock { state in
            let sink = state.sink ?? OutputSink(2)
            state.sink = sink
            var line = LineEnd.takeUnfinished() ? "\n" + text : text
            if state.dropped > 0 {
                line = "retry: \(state.dropped) earlier message\(state.dropped == 1 ? " was" : "s were") dropped: stderr took nothing\n" + line
            }
            var written = 0
            let bytes = Array(line.utf8)
            let result = bytes.withUnsafeBytes { buffer in
                sink.write(buffer, abandon: state.wake, idleLimit: state.stalled ? .zero : OutputSink.readerIdleLimit) { written += $0 }
            }
            switch result {
            case .written:
                state.stalled = false
                state.dropped = 0
            case .stalled, .abandoned:
                state.stalled = true
                state.dropped += 1
                // The next message starts a line of its own.
                if written > 0 { LineEnd.record(lastByte: 0, destination: 2) }
            case .readerGone, .failed:
                break
            }
        }
    }
}
