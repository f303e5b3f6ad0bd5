import RetryCore
import Dispatch
import Foundation
import Synchronization

/// Carries one attempt's stdout and stderr from pipes to `retry`'s own
/// streams (or stdout to a hold spool), byte for byte and as they arrive,
/// while an `OutputScanner` reads along. A thread of its own does it, so a
/// slow reader downstream slows the command, as it would without `retry`;
/// each stream flows on its own, so a stalled reader of stdout does not
/// hold up stderr (no write ever blocks the thread).
///
/// Every write failure is handled. A broken stdout pipe closes the pipe
/// from the command, which meets it as it would without `retry`. Any other
/// failure on stdout (a full disk, a closed stdout, the --hold-limit) is
/// recorded as lost output and also closes the pipe from the command, so a
/// producer that never ends is stopped. Failures on stderr drop what it
/// could not take, as `retry`'s own messages do.
final class OutputRelay: @unchecked Sendable {
    /// The ends the command writes to.
    let stdoutForCommand: Int32
    let stderrForCommand: Int32
    private let sources: [Int32]
    /// Where each stream goes (1 or a hold spool, and 2), and how it is written.
    private let destinations: [Int32]
    private let sinks: [OutputSink]
    /// Readable once the streams should stop being waited for (`drain`), or
    /// once the relay should give up on a stalled reader (`abandon`).
    private let drainPipe: (read: Int32, write: Int32)
    private let abandonPipe: (read: Int32, write: Int32)
    private let done = DispatchSemaphore(value: 0)
    /// Bytes delivered so far, for `finish` to tell a slow reader from a stalled one.
    private let progress = Atomic<Int>(0)
    /// The most stdout may put in a hold spool; nil: no limit or no spool.
    private let holdLimit: Int?
    private var held = 0
    private let holdDescription: String?
    // Touched only by the relay thread until `done` is signalled.
    private var scanner: OutputScanner
    private var closed = [false, false]
    private var lost: OutputLoss?

    /// `hold` is a spool for stdout (`--hold-output`), its limit in bytes
    /// and where it lives, for messages; without one stdout goes to fd 1.
    init(watch: OutputWatch, hold: (fd: Int32, limit: Int?, place: String)?) throws(Errno) {
        let stdoutPipe = try Self.pipe(), stderrPipe = try Self.pipe()
        drainPipe = try Syscall.pipe()
        abandonPipe = try Syscall.pipe()
        stdoutForCommand = stdoutPipe.write
        stderrForCommand = stderrPipe.write
        sources = [stdoutPipe.read, stderrPipe.read]
        destinations = [hold?.fd ?? 1, 2]
        sinks = destinations.map(OutputSink.init)
        holdLimit = hold?.limit
        holdDescription = hold?.place
        scanner = OutputScanner(watch: watch)
    }

    /// Starts relaying on a thread of its own, before the command starts:
    /// a thread that cannot be made must fail the attempt, not the output.
    func start() throws(Errno) {
        try SystemThread.start { self.relay() }
        started = true
    }

    private var started = false

    /// The command has its ends; the parent closes them so that the
    /// command's exit brings end-of-file.
    func commandStarted() {
        close(stdoutForCommand)
        close(stderrForCommand)
    }

    /// Ends it when the command could not be started: the streams end at
    /// once, so the thread (if it runs) does too.
    func abandon() {
        commandStarted()
        if started {
            _ = finish(grace: .seconds(1)) { false }
        } else {
            sources.forEach { close($0) }
            closeOwnDescriptors()
        }
    }

    /// Waits for both streams to end, at most `grace` (a background process
    /// of the command may hold them open for ever), then for what they hold
    /// to be delivered while the reader keeps taking it, and returns what
    /// the scanner found. A signal to `retry` (`stopRequested`) ends every
    /// wait at once.
    func finish(grace: Duration, stopRequested: () -> Bool) -> OutputReport {
        var finished = wait(upTo: grace, stopRequested: stopRequested)
        var stalled = false
        if !finished && !stopRequested() {
            Self.poke(drainPipe.write)
            (finished, stalled) = waitWhileDelivering(stopRequested: stopRequested)
        }
        if !finished {
            Self.poke(abandonPipe.write)
            // A write to a terminal or file that blocks, or a pattern that
            // does, cannot be woken: leave the thread and its descriptors.
            guard done.wait(timeout: .now() + .seconds(1)) == .success else {
                var report = OutputReport()
                report.lost = .failed("the command's output could not be delivered: the writer is stuck")
                return report
            }
        }
        for stream in 0..<2 where !closed[stream] { close(sources[stream]) }
        closeOwnDescriptors()
        var report = scanner.report
        report.lost = lost ?? report.lost ?? (stalled ? .failed("the reader of the output took nothing for \(DurationText.format(OutputSink.readerIdleLimit)) after the command ended; the rest of its output was dropped") : nil)
        return report
    }

    private func wait(upTo limit: Duration, stopRequested: () -> Bool) -> Bool {
        let end = Syscall.monotonicNow() + limit
        while Syscall.monotonicNow() < end {
            if done.wait(timeout: .now() + .milliseconds(10)) == .success { return true }
            if stopRequested() { return false }
        }
        return done.wait(timeout: .now()) == .success
    }

    /// Waits while the reader makes progress: whether the relay finished,
    /// and whether it stopped because the reader took nothing for
    /// `OutputSink.readerIdleLimit` (rather than for a signal).
    private func waitWhileDelivering(stopRequested: () -> Bool) -> (finished: Bool, stalled: Bool) {
        var seen = progress.load(ordering: .relaxed)
        var since = Syscall.monotonicNow()
        while true {
            if done.wait(timeout: .now() + .milliseconds(20)) == .success { return (true, false) }
            if stopRequested() { return (false, false) }
            let now = Syscall.monotonicNow(), current = progress.load(ordering: .relaxed)
            if current != seen {
                (seen, since) = (current, now)
            } else if now - since >= OutputSink.readerIdleLimit {
                return (false, true)
            }
        }
    }

    private func closeOwnDescriptors() {
        for fd in [drainPipe.read, drainPipe.write, abandonPipe.read, abandonPipe.write] { close(fd) }
        for sink in sinks { sink.close() }
    }

    private static func poke(_ fd: Int32) {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    /// One stream's place in the relay: whether its pipe is still read,
    /// and the bytes read from it that its destination has not taken yet.
    /// A stream is read only once its destination has taken everything, so
    /// a stalled reader slows its own stream's command and nothing else.
    private struct Stream {
        var open = true
        var buffer: [UInt8]
        var pending = 0..<0
        /// Once told to drain: how many bytes its pipe still owes.
        var owed: Int?

        init(capacity: Int) { buffer = [UInt8](repeating: 0, count: capacity) }

        var busy: Bool { open || !pending.isEmpty }
    }

    private func relay() {
        // stderr carries less than stdout: a smaller buffer will do.
        var streams = [Stream(capacity: Self.bufferSize), Stream(capacity: Self.bufferSize / 4)]
        var polled = [pollfd(fd: -1, events: 0, revents: 0), pollfd(fd: -1, events: 0, revents: 0),
                      pollfd(fd: drainPipe.read, events: Int16(POLLIN), revents: 0),
                      pollfd(fd: abandonPipe.read, events: Int16(POLLIN), revents: 0)]
        while streams[0].busy || streams[1].busy {
            for index in 0..<2 {
                let stream = streams[index]
                // Each stream waits on its own: for its reader while bytes
                // are pending, else for more from the command.
                if !stream.pending.isEmpty {
                    polled[index] = pollfd(fd: sinks[index].fd, events: Int16(POLLOUT), revents: 0)
                } else {
                    polled[index] = pollfd(fd: stream.open ? sources[index] : -1, events: Int16(POLLIN), revents: 0)
                }
            }
            if poll(&polled, 4, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            // Told to stop (a signal to retry, a stalled reader): what is
            // left is not waited for.
            if polled[3].revents != 0 { break }
            if polled[2].revents != 0 {
                // Time is up for the streams to end, but what the command
                // wrote before it exited is still owed to the reader.
                polled[2].fd = -1
                for index in 0..<2 where streams[index].open { streams[index].owed = Self.unread(sources[index]) }
            }
            for index in 0..<2 where polled[index].revents != 0 || streams[index].owed == 0 {
                if !streams[index].pending.isEmpty {
                    flush(index, &streams[index])
                } else if streams[index].open {
                    fill(index, &streams[index])
                }
            }
        }
        scanner.finish()
        done.signal()
    }

    /// How many bytes `fd` holds unread (FIONREAD).
    private static func unread(_ fd: Int32) -> Int {
        var count: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &count) == 0 ? Int(count) : 0
    }

    /// Reads what the stream's pipe holds (at most what it still owes once
    /// draining), feeds it to the scanner and passes it on.
    private func fill(_ index: Int, _ stream: inout Stream) {
        let limit = min(stream.buffer.count, stream.owed ?? Int.max)
        guard limit > 0 else {
            stream.open = false
            return
        }
        let count = stream.buffer.withUnsafeMutableBytes { read(sources[index], $0.baseAddress, limit) }
        if count < 0 && errno == EINTR { return }
        guard count > 0 else {
            stream.open = false
            return
        }
        stream.owed = stream.owed.map { $0 - count }
        stream.buffer.withUnsafeBytes { scanner.feed(UnsafeRawBufferPointer(rebasing: $0[..<count]), stream: index) }
        if index == 0, let limit = holdLimit {
            guard held + count <= limit else {
                let size = ByteSizeText.format(limit)
                stopReading(index, &stream, lost: .failed("--hold-output: the output passed the --hold-limit of \(size); nothing was published (raise --hold-limit)"))
                return
            }
            held += count
        }
        stream.pending = 0..<count
        flush(index, &stream)
    }

    /// Writes what the destination takes now of the stream's pending bytes;
    /// on a failure stops reading that stream (stdout) or drops them (stderr).
    private func flush(_ index: Int, _ stream: inout Stream) {
        while !stream.pending.isEmpty {
            let pending = stream.pending
            let attempt = stream.buffer.withUnsafeBytes { sinks[index].attempt(UnsafeRawBufferPointer(rebasing: $0[pending])) }
            switch attempt {
            case .wrote(let count):
                stream.pending = pending.lowerBound + count..<pending.upperBound
                progress.add(count, ordering: .relaxed)
                LineEnd.record(lastByte: stream.buffer[pending.lowerBound + count - 1], destination: destinations[index])
            case .full:
                return
            case .readerGone:
                stopReading(index, &stream, lost: index == 0 ? .readerGone : nil)
            case .failed(let error) where index == 0:
                stopReading(index, &stream, lost: .failed(describe(error)))
            case .failed:
                stream.pending = 0..<0
            }
        }
    }

    /// Bigger pipes and reads than the default 64 KiB mean fewer wake-ups
    /// and system calls per byte for a fast producer.
    static let bufferSize = 1 << 20
    /// F_SETPIPE_SZ, which Glibc's Swift module does not export.
    private static let setPipeSize: Int32 = 1031

    private func describe(_ error: Errno) -> String {
        guard let place = holdDescription else { return "cannot write the command's output to stdout: \(error)" }
        return "--hold-output: cannot keep the output in \(place): \(error); nothing was published"
    }

    /// Closes the pipe from the command, which meets a broken pipe as it
    /// would without `retry` (and a producer that never ends is stopped).
    private func stopReading(_ index: Int, _ stream: inout Stream, lost: OutputLoss?) {
        stream.open = false
        stream.pending = 0..<0
        close(sources[index])
        closed[index] = true
        if let lost, self.lost == nil { self.lost = lost }
    }

    private static func pipe() throws(Errno) -> (read: Int32, write: Int32) {
        let ends = try Syscall.pipe()
        // Best effort: an unprivileged process may be held to less.
        _ = fcntl(ends.read, setPipeSize, Int32(bufferSize))
        return ends
    }
}
