import Dispatch
import Foundation
import Synchronization

/// Starts each attempt with Foundation `Process` (see
/// shared/reference/foundation-process.md for the traps avoided here) and
/// posts its exit to the event mailbox.
///
/// - The exit is learnt from whichever comes first: Foundation's
///   `terminationHandler`, or a `waitid(WNOWAIT)` on a helper thread. The
///   handler alone fires only once every descendant has closed an inherited
///   socket, so `sh -c 'sleep 30 & exit 0'` would look 30 s long;
///   `waitUntilExit()` would add 50 ms to every attempt.
/// - `start` must be called from the main thread: the child inherits the
///   calling thread's signal mask.
public struct FoundationLauncher: ProcessLauncher {
    let events: SystemEvents
    private let watchdog = OrphanWatchdog()

    public init(events: SystemEvents) {
        self.events = events
    }

    public func start(_ request: LaunchRequest) throws(LaunchFailure) -> StartedProcess {
        let name = request.arguments[0]
        let path = try ExecutableLookup.resolve(name, searchPath: request.environment["PATH"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(request.arguments.dropFirst())
        process.environment = request.environment
        let exit = ExitReport(events: events)
        process.terminationHandler = { process in
            exit.post(pid: process.processIdentifier, process.terminationReason == .uncaughtSignal
                ? .signaled(process.terminationStatus) : .exited(process.terminationStatus))
        }
        do {
            try process.run()
        } catch {
            throw Self.failure(error, name: name)
        }
        let pid = process.processIdentifier
        watchdog.follow(pid)
        let ownsTerminal = Terminal.lend(to: pid)
        DispatchQueue.global().async {
            // ECHILD means Foundation reaped it first; its handler reports.
            if let termination = try? Syscall.waitForExitWithoutReaping(pid) {
                exit.post(pid: pid, termination)
            }
        }
        return StartedProcess(pid: pid, ownsTerminal: ownsTerminal)
    }

    public func release(_ process: StartedProcess) {
        watchdog.clear()
        if process.ownsTerminal { Terminal.reclaim() }
    }

    public func protect(_ group: Int32, grace: Duration) {
        watchdog.protect(group, grace: grace)
    }

    public func signalGroup(_ group: Int32, _ signal: Int32) {
        ProcessGroup.signal(group, signal)
    }

    public func groupIsAlive(_ group: Int32) -> Bool {
        ProcessGroup.isAlive(group)
    }

    /// Maps what `Process.run()` throws to 126 or 127.
    static func failure(_ error: any Error, name: String) -> LaunchFailure {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        guard let underlying, underlying.domain == NSPOSIXErrorDomain else {
            return .cannotInvoke(name, reason: error.localizedDescription)
        }
        let errno = Errno(Int32(underlying.code))
        switch errno {
        case .noSuchFile: return .notFound(name)
        case Errno(ENOEXEC): return .cannotInvoke(name, reason: "exec format error (a script needs a #! line)")
        default: return .cannotInvoke(name, reason: errno.description)
        }
    }
}

/// Posts one process's exit once, although two watchers report it.
private final class ExitReport: Sendable {
    private let posted = Mutex(false)
    private let events: SystemEvents

    init(events: SystemEvents) {
        self.events = events
    }

    func post(pid: Int32, _ termination: Termination) {
        let first = posted.withLock { posted in
            defer { posted = true }
            return !posted
        }
        if first { events.post(.exited(pid: pid, termination)) }
    }
}
