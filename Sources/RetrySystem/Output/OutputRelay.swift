import RetryCore
import Dispatch
import Foundation

/// Carries one attempt's stdout and stderr from pipes to `retry`'s own
/// streams (or stdout to a hold spool), byte for byte and as they arrive,
/// while an `OutputScanner` reads along. A thread of its own does it, so a
/// slow reader downstream slows the command, as it would without `retry`.
final class OutputRelay: @unchecked Sendable {
    /// The ends the command writes to.
    let stdoutForCommand: Int32
    let stderrForCommand: Int32
    private let sources: [Int32]
    private let destinations: [Int32]
    private let wake: [Int32]
    private let done = DispatchSemaphore(value: 0)
    // Touched only by the relay thread until `done` is signalled.
    private var scanner: OutputScanner
    private var closed = [false, false]

    /// `stdoutDestination` is 1, or a hold spool's descriptor.
    init(watch: OutputWatch, stdoutDestination: Int32) throws(Errno) {
        let stdoutPipe = try Self.pipe(), stderrPipe = try Self.pipe(), wakePipe = try Syscall.pipe()
        stdoutForCommand = stdoutPipe.write
        stderrForCommand = stderrPipe.write
        sources = [stdoutPipe.read, stderrPipe.read]
        destinations = [stdoutDestination, 2]
        wake = [wakePipe.read, wakePipe.write]
        scanner = OutputScanner(watch: watch)
    }

    /// Starts relaying; call once the command has its ends, which the
    /// parent then closes so that the command's exit brings end-of-file.
    func start() {
        close(stdoutForCommand)
        close(stderrForCommand)
        Thread { self.relay() }.start()
    }

    /// Waits for both streams to end, at most `grace` (a background process
    /// of the command may hold them open for ever), then for what they hold
    /// to be delivered, and returns what the scanner found.
    func finish(grace: Duration) -> OutputReport {
        let (seconds, attoseconds) = grace.components
        if done.wait(timeout: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))) == .timedOut {
            var byte: UInt8 = 1
            _ = write(wake[1], &byte, 1)
            done.wait()
        }
        for stream in 0..<2 where !closed[stream] { close(sources[stream]) }
        for fd in wake { close(fd) }
        return scanner.report
    }

    /// Closes everything when the command could not be started.
    func abandon() {
        for fd in sources + wake + [stdoutForCommand, stderrForCommand] { close(fd) }
    }

    private func relay() {
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        var polled = [pollfd(fd: sources[0], events: Int16(POLLIN), revents: 0),
                      pollfd(fd: sources[1], events: Int16(POLLIN), revents: 0),
                      pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
        while open[0] || open[1] {
            for index in 0..<2 { polled[index].fd = open[index] ? sources[index] : -1 }
            if poll(&polled, 3, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if polled[2].revents != 0 {
                // Time is up for the streams to end, but what the command
                // wrote before it exited is still owed to the reader.
                drain(&open, &buffer)
                break
            }
            for stream in 0..<2 where open[stream] && polled[stream].revents != 0 {
                let count = read(sources[stream], &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    open[stream] = false
                    continue
                }
                deliver(count, of: stream, from: buffer, open: &open)
            }
        }
        scanner.finish()
        done.signal()
    }

    /// Bigger pipes and reads than the default 64 KiB mean fewer wake-ups
    /// and system calls per byte for a fast producer.
    static let bufferSize = 1 << 20
    /// F_SETPIPE_SZ, which Glibc's Swift module does not export.
    private static let setPipeSize: Int32 = 1031

    /// Reads what the pipes hold now, without waiting for more, and passes
    /// it on: a background process may keep them open, but the bytes
    /// already written must arrive.
    private func drain(_ open: inout [Bool], _ buffer: inout [UInt8]) {
        for stream in 0..<2 where open[stream] {
            _ = fcntl(sources[stream], F_SETFL, fcntl(sources[stream], F_GETFL) | O_NONBLOCK)
            while true {
                let count = read(sources[stream], &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                deliver(count, of: stream, from: buffer, open: &open)
                if !open[stream] { break }
            }
        }
    }

    /// Writes `count` bytes of `buffer` to the stream's destination and
    /// feeds them to the scanner.
    private func deliver(_ count: Int, of stream: Int, from buffer: [UInt8], open: inout [Bool]) {
        do {
            try Syscall.writeFully(buffer[..<count], to: destinations[stream])
            LineEnd.record(lastByte: buffer[count - 1], destination: destinations[stream])
        } catch where error == Errno(EPIPE) {
            // Whoever read retry's stream has gone: let the command find
            // out as it would have without retry in between.
            open[stream] = false
            close(sources[stream])
            closed[stream] = true
        } catch {
            // A closed stream (EBADF): the bytes have nowhere to go.
        }
        buffer.withUnsafeBytes { scanner.feed(UnsafeRawBufferPointer(rebasing: $0[..<count]), stream: stream) }
    }

    private static func pipe() throws(Errno) -> (read: Int32, write: Int32) {
        let ends = try Syscall.pipe()
        // Best effort: an unprivileged process may be held to less.
        _ = fcntl(ends.read, setPipeSize, Int32(bufferSize))
        return ends
    }
}
