import CRetry
import Dispatch
import Foundation
import RetryCore

/// Starts each attempt with Foundation `Process`, around the traps it has
/// on Linux (below), and posts its exit to the event mailbox.
///
/// - The exit is learnt from whichever comes first: Foundation's
///   `terminationHandler`, or a `waitid(WNOWAIT)` on a helper thread. The
///   handler alone fires only once every descendant has closed an inherited
///   socket, so `sh -c 'sleep 30 & exit 0'` would look 30 s long;
///   `waitUntilExit()` would add 50 ms to every attempt.
/// - `start` must be called from the main thread: the child inherits the
///   calling thread's signal mask.
/// - Each command runs through `retry-exec` (`ExecHelper`), which execs it
///   only once the guard (`ExecGuard`) knows its group, and says so.
package struct FoundationLauncher: ProcessLauncher {
    let events: SystemEvents
    private let guardian = ExecGuard()
    private let reaper = OrphanReaper()
    private let output: AttemptOutput
    /// `retry`'s stdin, kept for `--stdin replay`.
    private let keptInput: KeptInput
    /// How long output may still arrive after the command has exited: a
    /// background process may hold the pipes open for ever.
    static let outputGrace = Duration.milliseconds(200)
    /// Whether `Process.run()` has made its one thread (see
    /// `SystemThread.check`). Touched only on the main thread.
    nonisolated(unsafe) private static var foundationHasItsThread = false

    /// Spools (`--stdin replay`, `--hold-output`) go in `temporaryDirectory`
    /// (`$TMPDIR` from the injected environment), /tmp when it is nil.
    package init(events: SystemEvents, temporaryDirectory: String?) {
        self.events = events
        output = AttemptOutput(temporaryDirectory: temporaryDirectory)
        keptInput = KeptInput(temporaryDirectory: temporaryDirectory)
    }

    package func keepStandardInput() throws(LaunchFailure) {
        try keptInput.fill(from: 0, wake: events.signalWake)
    }

    package func canStart(_ request: LaunchRequest) -> Bool {
        (try? ExecutableLookup.resolve(bytes: RawCommandLine.bytes(of: request.arguments)[0], shown: request.arguments[0],
                                       searchPath: request.environment["PATH"])) != nil
    }

    package func start(_ request: LaunchRequest) throws(LaunchFailure) -> StartedProcess {
        let name = request.arguments[0]
        // By its bytes: a name that is not UTF-8 must find its own file.
        let path = try ExecutableLookup.resolve(bytes: RawCommandLine.bytes(of: request.arguments)[0], shown: name,
                                                searchPath: request.environment["PATH"])
        let helper = ExecHelper.path
        if case .broken(_, let reason) = ExecHelper.finding { throw ExecHelper.failure("is \(reason)") }
        if let helper { _ = try guardian.start(helper: helper) }
        let process = Process()
        Self.setCommand(of: process, path: path, request: request)
        if request.replayStandardInput, let input = keptInput.rewound() {
            process.standardInput = FileHandle(fileDescriptor: input, closeOnDealloc: false)
        }
        // A hook: its stdout joins retry's stderr, and it reads nothing the
        // command's next attempt should read.
        if request.outputToStandardError { process.standardOutput = FileHandle(fileDescriptor: 2, closeOnDealloc: false) }
        if request.inputFromNull { process.standardInput = FileHandle.nullDevice }
        // The helper gets the caller's descriptors (and the command's stdin)
        // through its stdin: see `CallerDescriptors`.
        let channel = try helper.map { _ throws(LaunchFailure) in try Self.descriptorChannel(for: request, kept: keptInput.rewound()) }
        defer { if let channel { close(channel) } }
        if let channel { process.standardInput = FileHandle(fileDescriptor: channel, closeOnDealloc: false) }
        let relay = try output.prepare(request.watch)
        if let relay {
            process.standardOutput = FileHandle(fileDescriptor: relay.stdoutForCommand, closeOnDealloc: false)
            process.standardError = FileHandle(fileDescriptor: relay.stderrForCommand, closeOnDealloc: false)
        }
        let exit = ExitReport(events: events)
        let reaper = reaper
        process.terminationHandler = { process in
            reaper.disown(process.processIdentifier)
            exit.post(pid: process.processIdentifier, process.terminationReason == .uncaughtSignal
                ? .signaled(process.terminationStatus) : .exited(process.terminationStatus))
            // Foundation's run loop source and the `Process` hold each other
            // until `waitUntilExit()` lets go of the source, so without this
            // every attempt leaks its `Process` and environment (3.3 KiB).
            // The process has ended, so this returns without waiting.
            process.waitUntilExit()
        }
        try checkFoundationCanMakeItsThread()
        do {
            try reaper.launching(exit) {
                try Self.run(process, throughHelper: helper != nil)
                return process.processIdentifier
            }
        } catch {
            output.abandon()
            throw helper == nil ? Self.failure(error, name: name) : ExecHelper.failure("cannot be run: \(Self.helperReason(error))")
        }
        relay?.commandStarted()
        let pid = process.processIdentifier
        if helper != nil {
            // The guard learns the group before the helper may exec the
            // command, so it covers every process the command ever starts.
            guardian.watch(pid, grace: request.killAfter)
            do {
                try ExecHelper.handshake(with: pid)
            } catch {
                kill(-pid, SIGKILL)
                guardian.clear()
                output.abandon()
                throw error
            }
        }
        let ownsTerminal = Terminal.lend(to: pid)
        let events = events
        // Without this thread (none can be made) Foundation's handler still
        // reports the exit, only later when a background process lingers.
        try? SystemThread.start {
            // ECHILD means Foundation reaped it first; its handler reports.
            while true {
                let change: Termination?
                do { change = try Syscall.waitForExitOrStop(pid) } catch { return }
                guard let termination = change else {
                    events.post(.stopped(pid: pid))
                    continue
                }
                exit.post(pid: pid, termination)
                return
            }
        }
        return StartedProcess(pid: pid, ownsTerminal: ownsTerminal)
    }

    /// The helper's end of a socket pair holding the caller's descriptors
    /// and the command's stdin: the kept input, /dev/null for a hook, or
    /// `retry`'s own stdin unless that was closed.
    private static func descriptorChannel(for request: LaunchRequest, kept: Int32?) throws(LaunchFailure) -> Int32 {
        do throws(Errno) {
            if request.replayStandardInput, let kept { return try CallerDescriptors.channel(input: kept) }
            if request.inputFromNull {
                let null = try Syscall.open("/dev/null", O_RDONLY | O_CLOEXEC)
                defer { close(null) }
                return try CallerDescriptors.channel(input: null)
            }
            let inherited = fcntl(0, F_GETFD)
            return try CallerDescriptors.channel(input: inherited >= 0 && inherited & FD_CLOEXEC == 0 ? 0 : nil)
        } catch {
            throw .setup("cannot hand the command its descriptors: \(error)")
        }
    }

    /// Before the first `Process.run()`: see `SystemThread.check`.
    private func checkFoundationCanMakeItsThread() throws(LaunchFailure) {
        guard !Self.foundationHasItsThread else { return }
        do throws(Errno) {
            try SystemThread.check()
        } catch {
            output.abandon()
            throw .setup("cannot start a thread to run the command: \(error) (is ulimit -u or ulimit -v too low?)")
        }
        Self.foundationHasItsThread = true
    }

    /// `process.run()`. Without the helper, which resets the mask, the
    /// handshake signal that `retry` keeps blocked is unblocked around it:
    /// the command must start with nothing blocked.
    private static func run(_ process: Process, throughHelper: Bool) throws {
        guard !throughHelper else { return try process.run() }
        var handshake = sigset_t()
        sigemptyset(&handshake)
        sigaddset(&handshake, cretry_handshake_signal())
        pthread_sigmask(SIG_UNBLOCK, &handshake, nil)
        defer { pthread_sigmask(SIG_BLOCK, &handshake, nil) }
        try process.run()
    }

    /// Runs the command through `retry-exec` when it is installed, with
    /// its arguments and environment as bytes; otherwise directly.
    private static func setCommand(of process: Process, path: [UInt8], request: LaunchRequest) {
        guard let helper = ExecHelper.path else {
            process.executableURL = URL(fileURLWithPath: String(decoding: path, as: UTF8.self))
            process.arguments = Array(request.arguments.dropFirst())
            process.environment = request.environment
            return
        }
        let (environment, rawEntries) = RawCommandLine.split(request.environment)
        process.executableURL = URL(fileURLWithPath: helper)
        process.arguments = ExecHelper.arguments(path: path, arguments: RawCommandLine.bytes(of: request.arguments),
                                                 environment: rawEntries) + ["d"]
        process.environment = environment
    }

    package func release(_ process: StartedProcess) -> OutputReport {
        guardian.clear()
        if process.ownsTerminal { Terminal.reclaim() }
        return output.finish(grace: Self.outputGrace) { events.receivedSignal != nil }
    }

    package func publishHeldOutput() -> OutputLoss? {
        output.publish(abandon: events.signalWake)
    }

    package func suspend(with process: StartedProcess) {
        Terminal.reclaim()
        // Stops every thread of retry until the shell's SIGCONT (fg or bg).
        raise(SIGSTOP)
        // In the foreground again (fg): the command gets the terminal and
        // SIGCONT; in the background (bg): SIGCONT only.
        if !Terminal.lend(to: process.pid) { ProcessGroup.signal(process.pid, SIGCONT) }
    }

    package func outputReaderIsGone() -> Bool {
        Syscall.isPipeWithoutReader(1)
    }

    package func signalGroup(_ group: Int32, _ signal: Int32) {
        ProcessGroup.signal(group, signal)
    }

    package func groupIsAlive(_ group: Int32) -> Bool {
        ProcessGroup.isAlive(group, zombiesAreReaped: reaper.adopts)
    }

    /// Where the helper is, or what is wrong with it (`--version`).
    package static var helperDescription: String { ExecHelper.description }
    /// What is wrong with the helper, if anything (`-v`).
    package static var helperProblem: String? { ExecHelper.problem }

    /// Why the helper could not be run, from what `Process.run()` threw.
    static func helperReason(_ error: any Error) -> String {
        switch failure(error, name: "") {
        case .notFound: "no such file"
        case .cannotInvoke(_, let reason), .setup(let reason): reason
        }
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
        case Errno(EAGAIN), Errno(ENOMEM):
            // Not the command's fault: retry could not make a process.
            return .setup("cannot start \(name): \(errno) (is ulimit -u or ulimit -v too low?)")
        default: return .cannotInvoke(name, reason: errno.description)
        }
    }
}

/// Posts one process's exit once, although two or three watchers report it.
final class ExitReport: Sendable {
    private let posted = Locked(false)
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

/// `retry`'s stdin read to its end and kept in a spool, which it owns.
private final class KeptInput {
    private let temporaryDirectory: String?
    private var spool: Spool?

    init(temporaryDirectory: String?) {
        self.temporaryDirectory = temporaryDirectory
    }

    func fill(from source: Int32, wake: Int32) throws(LaunchFailure) {
        do throws(Errno) {
            let spool = try Spool(directory: temporaryDirectory)
            try spool.fill(from: source, wake: wake)
            self.spool = spool
        } catch {
            throw .setup(error == .interrupted ? "interrupted by a signal" : error.description)
        }
    }

    /// The spool's descriptor, back at its start; nil when nothing is kept.
    func rewound() -> Int32? {
        guard let spool else { return nil }
        spool.rewind()
        return spool.fd
    }
}

/// The relay and hold spool of the attempt under way.
private final class AttemptOutput {
    private let temporaryDirectory: String?
    private var relay: OutputRelay?
    private var held: Spool?

    init(temporaryDirectory: String?) {
        self.temporaryDirectory = temporaryDirectory
    }

    /// A relay for `watch`, or nil when the streams are inherited.
    func prepare(_ watch: OutputWatch) throws(LaunchFailure) -> OutputRelay? {
        guard watch.isActive else { return nil }
        do throws(Errno) {
            var hold: (fd: Int32, limit: Int?, place: String)?
            if watch.holdStdout {
                let spool: Spool
                if let held { spool = held } else { spool = try Spool(directory: temporaryDirectory) }
                spool.reset()
                held = spool
                hold = (spool.fd, watch.holdLimit, temporaryDirectory.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
            }
            let relay = try OutputRelay(watch: watch, hold: hold)
            do {
                try relay.start()
            } catch {
                relay.abandon()
                throw error
            }
            self.relay = relay
            return relay
        } catch {
            throw .setup("cannot set up the pipes, thread or --hold-output file for the command's output: \(error)")
        }
    }

    func abandon() {
        relay?.abandon()
        relay = nil
    }

    func finish(grace: Duration, stopRequested: () -> Bool) -> OutputReport {
        defer { relay = nil }
        return relay?.finish(grace: grace, stopRequested: stopRequested) ?? OutputReport()
    }

    func publish(abandon: Int32) -> OutputLoss? {
        held?.copy(to: 1, abandon: abandon)
    }
}
