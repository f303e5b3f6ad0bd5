@testable import RetryCore

/// A simulated process table in fake time: it launches scripted processes,
/// delivers their exits and the signals `retry` receives as events, and
/// reacts to the signals sent to process groups. Nothing sleeps for real.
final class FakeSystem: ProcessLauncher, EventSource, MonotonicClock, WallClock {
    /// How one scripted process behaves.
    struct Behaviour {
        /// When it ends by itself, and how.
        var runsFor: Duration = .milliseconds(10)
        var exits: Termination = .exited(0)
        /// Signals it survives (Signal.kill cannot be among them).
        var ignores: Set<Int32> = []
        /// Leaves a grandchild in its group that ignores Signal.terminate.
        var leavesStraggler = false
        /// The straggler survives SIGKILL too (stuck in the kernel, or a
        /// zombie nobody reaps that a liveness check wrongly counts).
        var stragglerSurvivesKill = false
        /// Starts stopped (SIGSTOP): a signal other than SIGKILL waits,
        /// pending, until a SIGCONT.
        var startsStopped = false
        /// Whether the launcher lends it the terminal.
        var ownsTerminal = false
        /// What scanning its output finds.
        var output = OutputReport()
    }

    enum Step {
        case process(Behaviour)
        case fails(LaunchFailure)
    }

    struct SentSignal: Equatable {
        let signal: Int32
        let at: Duration
    }

    private struct Running {
        let pid: Int32
        let behaviour: Behaviour
        var endsAt: Duration
        var termination: Termination
        var exitReported = false
        var stragglerAlive: Bool
        var stopped: Bool
        var pending: [Int32] = []
    }

    private(set) var current = Duration.zero
    private var script: [Step]
    private var incoming: [(at: Duration, signal: Int32)]
    private var running: Running?
    private var nextPid: Int32 = 100
    private(set) var requests: [LaunchRequest] = []
    private(set) var released: [Int32] = []
    /// Signals sent to the group of each started pid.
    private(set) var sent: [Int32: [SentSignal]] = [:]
    /// The waits made while no process ran: the backoff sleeps, as asked.
    private(set) var sleeps: [Duration] = []

    /// `signals` reach `retry` at the given fake times.
    init(_ script: [Step], signals: [(at: Duration, signal: Int32)] = []) {
        self.script = script
        incoming = signals.sorted { $0.at < $1.at }
    }

    func now() -> Duration { current }

    /// Wall-clock time: a fixed epoch plus the fake time.
    static let epoch = 1_795_489_000.0
    func now() -> Double { Self.epoch + current.seconds }

    /// What `keepStandardInput()` throws, if anything.
    var keepingInputFails: LaunchFailure?
    private(set) var keptInput = 0

    func keepStandardInput() throws(LaunchFailure) {
        if let keepingInputFails { throw keepingInputFails }
        keptInput += 1
    }

    /// False when the next attempt is scripted to fail to start.
    func canStart(_ request: LaunchRequest) -> Bool {
        if case .fails = script.first { return false }
        return true
    }

    func start(_ request: LaunchRequest) throws(LaunchFailure) -> StartedProcess {
        requests.append(request)
        precondition(!script.isEmpty, "the runner made more attempts than the test scripted")
        switch script.removeFirst() {
        case .fails(let failure):
            throw failure
        case .process(let behaviour):
            nextPid += 1
            running = Running(pid: nextPid, behaviour: behaviour, endsAt: current + behaviour.runsFor,
                              termination: behaviour.exits, stragglerAlive: behaviour.leavesStraggler,
                              stopped: behaviour.startsStopped)
            return StartedProcess(pid: nextPid, ownsTerminal: behaviour.ownsTerminal)
        }
    }

    /// A signal that reaches `retry` while it releases an attempt (while
    /// the output drains), once.
    var signalDuringRelease: Int32?
    /// Signals delivered so far, in order.
    private var delivered: [Int32] = []

    var receivedSignal: Int32? {
        delivered.first ?? incoming.first.flatMap { $0.at <= current ? $0.signal : nil }
    }

    func release(_ process: StartedProcess) -> OutputReport {
        released.append(process.pid)
        if let signal = signalDuringRelease {
            delivered.append(signal)
            signalDuringRelease = nil
        }
        defer { running = nil }
        return running?.behaviour.output ?? OutputReport()
    }

    /// How many times held-back output was published.
    private(set) var published = 0

    /// What publishing the held output loses, if anything.
    var publishLoses: OutputLoss?

    func publishHeldOutput() -> OutputLoss? {
        published += 1
        return publishLoses
    }

    /// The processes `retry` stopped with, in order.
    private(set) var suspended: [Int32] = []

    func suspend(with process: StartedProcess) { suspended.append(process.pid) }

    /// Whether the reader of `retry`'s stdout has gone, from when on.
    var readerGoneAt: Duration?

    func outputReaderIsGone() -> Bool { readerGoneAt.map { current >= $0 } ?? false }

    func signalGroup(_ group: Int32, _ signal: Int32) {
        sent[group, default: []].append(SentSignal(signal: signal, at: current))
        guard running?.pid == group else { return }
        if signal == Signal.continue {
            let pending = running!.pending
            running!.stopped = false
            running!.pending = []
            pending.forEach(deliver)
        } else if running!.stopped && signal != Signal.kill {
            running!.pending.append(signal)
        } else {
            deliver(signal)
        }
    }

    /// What `signal` does to the running process, which is not stopped.
    private func deliver(_ signal: Int32) {
        guard var process = running else { return }
        if signal == Signal.kill && !process.behaviour.stragglerSurvivesKill { process.stragglerAlive = false }
        if !process.exitReported && process.endsAt > current && (signal == Signal.kill || !process.behaviour.ignores.contains(signal)) {
            process.endsAt = current
            process.termination = .signaled(signal)
        }
        running = process
    }

    func groupIsAlive(_ group: Int32) -> Bool {
        guard let process = running, process.pid == group else { return false }
        return !process.exitReported || process.stragglerAlive
    }

    func next(until deadline: Duration?) -> Event? {
        let exitAt = running.flatMap { $0.exitReported ? nil : $0.endsAt }
        if running == nil, let deadline { sleeps.append(deadline - current) }
        let signalAt = incoming.first?.at
        let eventAt = [exitAt, signalAt].compactMap { $0 }.min()
        if let deadline, eventAt.map({ $0 > deadline }) ?? true {
            current = max(current, deadline)
            return nil
        }
        guard let eventAt else { preconditionFailure("the runner would wait forever") }
        current = max(current, eventAt)
        if let signalAt, signalAt == eventAt {
            let signal = incoming.removeFirst().signal
            delivered.append(signal)
            return .signal(signal)
        }
        running!.exitReported = true
        return .exited(pid: running!.pid, running!.termination)
    }
}

extension FakeSystem.Step {
    /// A process that exits with `code` after 10 ms.
    static func exits(_ code: Int32) -> Self { .process(.init(exits: .exited(code))) }
    /// A process that runs for `duration`, then exits with `code`.
    static func runs(for duration: Duration, thenExits code: Int32 = 0) -> Self {
        .process(.init(runsFor: duration, exits: .exited(code)))
    }
}

/// A generator that returns a fixed value, to pin jitter at its extremes.
struct ConstantGenerator: RandomNumberGenerator {
    let value: UInt64
    mutating func next() -> UInt64 { value }
}

/// Parses a command line that is expected to be valid.
func parsedConfiguration(_ words: String...) throws -> Configuration {
    try parsedConfiguration(words)
}

func parsedConfiguration(_ words: [String]) throws -> Configuration {
    guard case .run(let configuration) = try CommandLineParser.parse(words) else {
        throw UsageError("not a run: \(words)")
    }
    return configuration
}

/// A breaker and quota in memory: a fixed admission and a number of retries
/// the quota will pay for.
final class FakeMemory: RunMemory {
    let admission: MemoryAdmission
    private var retriesLeft: Int
    private(set) var payments: [Bool] = []
    private(set) var finished: (verdict: RunVerdict, lastRetryCost: Int?)?

    init(admission: MemoryAdmission = .proceed, retriesPaid: Int = .max) {
        self.admission = admission
        retriesLeft = retriesPaid
    }

    func admit() -> MemoryAdmission { admission }

    func payForRetry(afterTimeout: Bool) -> RetryPayment {
        payments.append(afterTimeout)
        guard retriesLeft > 0 else { return .refused }
        retriesLeft -= 1
        return .paid(afterTimeout ? 10 : 5)
    }

    func finish(_ verdict: RunVerdict, lastRetryCost: Int?) {
        finished = (verdict, lastRetryCost)
    }

    func describe() -> [String] { ["fake state"] }

    func snapshot() throws(SharedStateError) -> StoreSnapshot { StoreSnapshot() }
    func reset() throws(SharedStateError) -> StoreSnapshot { StoreSnapshot() }

    /// What `sharedWait()` answers; each `shareRetryAfter` is kept.
    var shared: SharedWait?
    private(set) var sharedRetryAfters: [Duration] = []

    func sharedWait() -> SharedWait? { shared }

    func shareRetryAfter(_ delay: Duration) { sharedRetryAfters.append(delay) }
}

/// A pace store in memory that runs the real `Pacer` steps on a
/// `PaceState`, timed by a wall clock; `others` lets a test play the other
/// runs sharing the store (take a slot, set a hold) at each take.
final class MemoryPaceStore: PaceStore {
    let pacer: Pacer
    let wall: any WallClock
    var state = PaceState()
    /// Called before each take with the take's number (from 1) and the state.
    var others: (Int, inout PaceState) -> Void = { _, _ in }
    private(set) var takes = 0
    private(set) var holds: [Duration] = []
    private(set) var tickets: [PaceTicket] = []

    init(rate: PaceRate?, wall: any WallClock) {
        pacer = Pacer(rate: rate)
        self.wall = wall
    }

    var display: String { "mem" }

    func takeSlot(within limit: Duration?) -> PaceTicket? {
        takes += 1
        others(takes, &state)
        let now = wall.now()
        let ticket = PaceTicket(pacer.take(&state, now: now, latest: limit.map { now + $0.seconds }), now: now)
        tickets.append(ticket)
        return ticket
    }

    func hold(for delay: Duration) {
        holds.append(delay)
        pacer.throttled(&state, now: wall.now(), delay: delay.seconds)
    }

    private(set) var successes = 0

    func succeeded() {
        successes += 1
        pacer.succeeded(&state)
    }

    /// Called at each look at the hold (after a run's sleep for its slot).
    var whileAsleep: (inout PaceState) -> Void = { _ in }

    func holdRemaining() -> Duration? {
        whileAsleep(&state)
        return .clampedSeconds(state.hold - wall.now())
    }

    func describe() -> [String] { ["fake pace"] }

    func snapshot() throws(SharedStateError) -> StoreSnapshot.Pace { StoreSnapshot.Pace(store: display, state: state, now: wall.now()) }

    func reset() throws(SharedStateError) -> StoreSnapshot.Pace {
        let before = StoreSnapshot.Pace(store: display, state: state, now: wall.now())
        state = Pacer.reset(state, now: wall.now())
        return before
    }
}
