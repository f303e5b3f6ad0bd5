
/// Whether the command's output, as relayed, left a line unfinished where
/// `retry`'s messages go (stderr, and stdout when it is the same file), so
/// that the next message starts on a line of its own instead of after a
/// prompt. Output that is inherited, not relayed, is not seen.
enum LineEnd {
    private static let unfinished = Locked(false)

    /// Whether stdout writes to the same file as stderr (a terminal, or
    /// `2>&1`), decided once.
    private static let stdoutSharesStderr: Bool = {
        var out = stat(), err = stat()
        guard fstat(1, &out) == 0, fstat(2, &err) == 0 else { return false }
        return out.st_dev == err.st_dev && out.st_ino == err.st_ino
    }()

    /// Notes the last byte the relay wrote to `destination`.
    static func record(lastByte: UInt8, destination: Int32) {
        guard destination == 2 || (destination == 1 && stdoutSharesStderr) else { return }
        unfinished.withLock { $0 = lastByte != UInt8(ascii: "\n") }
    }

    /// Whether a newline is owed before the next message; the debt is paid
    /// by asking.
    static func takeUnfinished() -> Bool {
        unfinished.withLock { state in
            defer { state = false }
            return state
        }
    }
}
