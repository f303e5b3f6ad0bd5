import Dispatch
import Foundation
import Synchronization

/// Runs each attempt with Foundation `Process` (see
/// shared/reference/foundation-process.md for the traps avoided here).
///
/// - The exit is learnt from whichever comes first: Foundation's
///   `terminationHandler`, or a `waitid(WNOWAIT)` on a helper thread. The
///   handler alone fires only once every descendant has closed an inherited
///   socket, so `sh -c 'sleep 30 & exit 0'` would look 30 s long;
///   `waitUntilExit()` would add 50 ms to every attempt.
/// - `run()` must be called from the main thread: the child inherits the
///   calling thread's signal mask.
public struct FoundationLauncher: ProcessLauncher {
    public init() {}

    public func run(_ request: LaunchRequest) throws(LaunchFailure) -> Termination {
        let name = request.arguments[0]
        let path = try ExecutableLookup.resolve(name, searchPath: request.environment["PATH"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(request.arguments.dropFirst())
        process.environment = request.environment
        let outcome = FirstTermination()
        process.terminationHandler = { process in
            outcome.record(process.terminationReason == .uncaughtSignal
                ? .signaled(process.terminationStatus) : .exited(process.terminationStatus))
        }
        do {
            try process.run()
        } catch {
            throw Self.failure(error, name: name)
        }
        let pid = process.processIdentifier
        DispatchQueue.global().async {
            // ECHILD means Foundation reaped it first; its handler reports.
            if let termination = try? Syscall.waitForExitWithoutReaping(pid) {
                outcome.record(termination)
            }
        }
        return outcome.wait()
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

/// The first of two reports of the same exit wins; the waiter blocks on it.
private final class FirstTermination: Sendable {
    private let termination = Mutex<Termination?>(nil)
    private let arrived = DispatchSemaphore(value: 0)

    func record(_ value: Termination) {
        let first = termination.withLock { current in
            if current != nil { return false }
            current = value
            return true
        }
        if first { arrived.signal() }
    }

    func wait() -> Termination {
        arrived.wait()
        return termination.withLock { $0! }
    }
}
