/// The attempt loop: run, decide, wait, run again, until success or a limit.
/// Each attempt is watched by an `AttemptSupervisor`; what follows it is
/// decided by `RetryDecision`; the loop carries that out and reports.
public struct Runner {
    public let configuration: Configuration
    /// The environment every attempt starts from.
    public let environment: [String: String]
    public let idempotencyKey: String
    public let launcher: any ProcessLauncher
    public let events: any EventSource
    public let clock: any MonotonicClock
    /// The breaker and quota; nil when neither is asked for.
    public let memory: (any RunMemory)?
    /// For Retry-After dates.
    public let wall: any WallClock
    public let report: (RunEvent) -> Void

    public init(configuration: Configuration, environment: [String: String], idempotencyKey: String,
                launcher: any ProcessLauncher, events: any EventSource, clock: any MonotonicClock,
                memory: (any RunMemory)? = nil, wall: any WallClock,
                report: @escaping (RunEvent) -> Void) {
        self.configuration = configuration
        self.environment = environment
        self.idempotencyKey = idempotencyKey
        self.launcher = launcher
        self.events = events
        self.clock = clock
        self.memory = memory
        self.wall = wall
        self.report = report
    }

    /// What the loop tells the shared state at the end of a run.
    private struct Tally {
        /// What the last paid retry cost the quota; nil when none was paid.
        var lastRetryCost: Int?
        /// Whether the last attempt's command could be started at all.
        var couldStart = true
    }

    /// Runs the command until it succeeds, fails for good, runs out of
    /// attempts or time, or `retry` is told to stop; jitter comes from
    /// `random`. The breaker may refuse the run before it starts.
    public func run(random: inout some RandomNumberGenerator) -> RunResult {
        var tally = Tally()
        guard let memory else { return loop(random: &random, tally: &tally) }
        if configuration.presentation.verbosity == .verbose || configuration.presentation.logFormat == .json {
            report(.memoryState(memory.describe()))
        }
        if case .rejected(let message) = memory.admit() {
            report(.breakerOpen(message))
            return .exit(ExitStatus(for: .breakerOpen))
        }
        let result = loop(random: &random, tally: &tally)
        let verdict: RunVerdict = switch result {
        case .signal: .inconclusive
        case .exit(.success): .succeeded
        case .exit: tally.couldStart ? .failed : .inconclusive
        }
        memory.finish(verdict, lastRetryCost: tally.lastRetryCost)
        return result
    }

    private func loop(random: inout some RandomNumberGenerator, tally: inout Tally) -> RunResult {
        let supervisor = AttemptSupervisor(limits: configuration.limits, launcher: launcher, events: events, clock: clock)
        var previousDelay: Duration?
        var budgetEnd: Duration?
        var number = 0
        while true {
            number += 1
            let attempt = RunEvent.Attempt(number, of: configuration.limits.maxAttempts)
            report(.attemptStarted(attempt))
            let started = clock.now()
            if budgetEnd == nil, let budget = configuration.limits.budget { budgetEnd = started + budget }
            let process: StartedProcess
            do {
                process = try launcher.start(request(for: number))
            } catch {
                report(.launchFailed(attempt, error))
                tally.couldStart = false
                return .exit(error.status)
            }
            let ending = supervisor.supervise(process, started: started, budgetEnd: budgetEnd)
            let output = launcher.release(process)
            let elapsed = clock.now() - started
            let outcome: AttemptOutcome
            switch ending {
            case .interrupted(let signal):
                report(.interrupted(signal, duringAttempt: true))
                return .signal(signal)
            case .budgetSpent:
                let status = ExitStatus(for: .timedOut)
                report(.gaveUp(.budgetSpent(configuration.limits.budget ?? .zero), attempts: number, status: status))
                return .exit(status)
            case .finished(let finished):
                outcome = configuration.policy.refine(finished, with: output, http: configuration.watch.http)
            }
            let decision = RetryDecision.after(
                attempt: number, outcome, retryAfter: output.retryAfter, configuration: configuration,
                previousDelay: &previousDelay, now: clock.now(), budgetEnd: budgetEnd, wallNow: wall.now(), random: &random)
            decision.notes.forEach(report)
            var next = decision.next
            if case .retry = next, let memory, !pay(memory, after: outcome, tally: &tally) {
                next = .stop(outcome.status, .quotaEmpty)
            }
            switch next {
            case .succeed(let status):
                report(.succeeded(attempt, elapsed: elapsed))
                if configuration.watch.holdStdout { launcher.publishHeldOutput() }
                return .exit(status)
            case .stop(let status, let reason):
                report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: nil))
                report(.gaveUp(reason, attempts: number, status: status))
                return .exit(status)
            case .retry(let delay):
                report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: delay))
                if let signal = wait(until: clock.now() + delay) {
                    report(.interrupted(signal, duringAttempt: false))
                    return .signal(signal)
                }
            }
        }
    }

    /// Pays the quota for the retry after `outcome`; false when it refuses.
    private func pay(_ memory: any RunMemory, after outcome: AttemptOutcome, tally: inout Tally) -> Bool {
        let afterTimeout = if case .timedOut = outcome { true } else { false }
        switch memory.payForRetry(afterTimeout: afterTimeout) {
        case .paid(let cost): tally.lastRetryCost = cost
        case .free: break
        case .refused: return false
        }
        return true
    }

    /// The command with the attempt's `RETRY_*` variables added.
    func request(for attempt: Int) -> LaunchRequest {
        var environment = environment
        environment["RETRY_ATTEMPT"] = String(attempt)
        environment["RETRY_MAX_ATTEMPTS"] = String(configuration.limits.maxAttempts ?? 0)
        environment["RETRY_IDEMPOTENCY_KEY"] = idempotencyKey
        return LaunchRequest(arguments: configuration.command, environment: environment,
                             watch: configuration.watch, replayStandardInput: configuration.replayStandardInput)
    }

    /// The backoff sleep; returns the signal that cut it short, if any.
    private func wait(until deadline: Duration) -> Int32? {
        while let event = events.next(until: deadline) {
            if case .signal(let signal) = event { return signal }
        }
        return nil
    }
}
