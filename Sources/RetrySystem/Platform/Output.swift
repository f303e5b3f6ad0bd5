import RetryCore

/// `retry`'s own output: help and dry runs to stdout, messages to stderr.
package enum Output {
    /// Writes to stdout, or throws: what `--help`, `--version` and
    /// `--dry-run` print is their whole result, so losing it is a failure.
    package static func writeResult(_ text: String) throws(Errno) {
        try Syscall.writeFully(text, to: 1)
    }

    /// Writes to stderr, on a line of its own when the command's relayed
    /// output left one unfinished; a closed, broken or stalled stderr is
    /// not waited for (see `Messages`), since messages must never be what
    /// makes a run fail or hang.
    package static func writeMessage(_ text: String) {
        Messages.write(text)
    }

    /// Messages stop waiting for a stalled stderr once a signal has come.
    package static func stopWaitingForMessages(after events: SystemEvents) {
        Messages.giveUpWhenReadable(events.signalWake)
    }

    /// Appends `text` to the existing file `path` (GitHub Actions' step
    /// summary and outputs): `O_APPEND` puts every write after what earlier
    /// steps wrote. Never creates the file: the runner creates these, so a
    /// path that names nothing is a mistake, reported.
    package static func append(_ text: String, toFile path: String) throws(Errno) {
        let fd = try Syscall.open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY)
        defer { close(fd) }
        try Syscall.writeFully(text, to: fd)
    }

    /// Whether stderr is a terminal, where messages may be in colour.
    package static func standardErrorIsTerminal() -> Bool {
        isatty(2) == 1
    }
}
