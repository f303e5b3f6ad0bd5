import CRetry
import Foundation
import RetryCore

/// Turns the signals `retry` must act on into events, and lets `retry` die
/// of one at the end.
///
/// A signal handler can do almost nothing safely, so it writes the signal's
/// number to a pipe; a thread reads the pipe and posts events. Handlers (not
/// blocked masks or ignored dispositions) are used on purpose: `execve`
/// resets handled signals to their defaults, so the command starts with the
/// dispositions and mask a fresh program expects.
///
/// This is the one piece of process-wide state in `retry`: a handler can
/// reach nothing else. Only `main.swift` installs it.
package enum SignalRelay {
    /// The signals forwarded to the command, which end the run.
    package static let stopping: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// The pipe's write end, for the handler. Set once, before any handler
    /// is installed.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    /// Installs the handlers; signals that were ignored when `retry` started
    /// (a background job's SIGINT) stay ignored, in `retry` and the command.
    package static func install(posting events: SystemEvents) {
        // Whatever mask retry was started with, the command must start with
        // nothing blocked, and it inherits the spawning thread's mask. Only
        // once the handlers are in place, though: the stopping signals are
        // held from main's first line (`cretry_startup`), and one that came
        // early is delivered to its handler here. The helper's handshake
        // signal stays blocked (the helper and `ExecHelper.handshake` wait
        // for it); the helper unblocks it before it execs the command.
        var onlyHandshake = sigset_t()
        sigemptyset(&onlyHandshake)
        sigaddset(&onlyHandshake, cretry_handshake_signal())
        defer { pthread_sigmask(SIG_SETMASK, &onlyHandshake, nil) }
        // A parent that ignores SIGCHLD would pass that on: the kernel then
        // reaps the command itself, waitid finds no child (ECHILD), and an
        // attempt that failed looks like a success. GNU timeout resets it too.
        Glibc.signal(SIGCHLD, SIG_DFL)

        guard let ends = try? Syscall.pipe() else { return }
        writeEnd = ends.write
        let readEnd = ends.read
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    events.post(.signal(Int32(byte)))
                } else if count == -1 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.start()

        for signal in stopping where !isIgnored(signal) {
            handle(signal, with: relay)
        }
        // Writing a message to a closed pipe must not kill retry; a handler
        // (not SIG_IGN) keeps SIGPIPE at its default for the command.
        handle(SIGPIPE, with: { _ in })
        // Past `ulimit -f`, a write must fail with EFBIG, which retry
        // reports, rather than kill it without a word; the same holds.
        handle(SIGXFSZ, with: { _ in })
    }

    /// Ends `retry` with `status`.
    package static func exit(_ status: ExitStatus) -> Never {
        Glibc.exit(status.rawValue)
    }

    /// Dies of `signal` with its default action, so the parent sees a real
    /// signal death; exits 128+N if the signal does not end the process.
    package static func die(of signal: Int32) -> Never {
        // A forwarded Ctrl-\ (SIGQUIT) must not leave a core of retry in
        // the working directory: the command's death was the point.
        _ = cretry_disable_core_dumps()
        Glibc.signal(signal, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signal)
        exit(ExitStatus(for: .signal(signal)))
    }

    private static let relay: @convention(c) (Int32) -> Void = { signal in
        let saved = errno
        var byte = UInt8(truncatingIfNeeded: signal)
        _ = write(SignalRelay.writeEnd, &byte, 1)
        errno = saved
    }

    private static func isIgnored(_ signal: Int32) -> Bool {
        var current = sigaction()
        sigaction(signal, nil, &current)
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    private static func handle(_ signal: Int32, with handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(signal, &action, nil)
    }
}
