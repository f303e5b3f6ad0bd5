/// How a run ends: with a status, or by dying of the signal `retry` itself
/// received, as GNU `timeout` does, so the parent sees a real signal death.
public enum RunResult: Equatable, Sendable {
    case exit(ExitStatus)
    case signal(Int32)

    /// The status a shell would see: 128+N for a signal.
    public var status: ExitStatus {
        switch self {
        case .exit(let status): status
        case .signal(let signal): .killed(by: signal)
        }
    }
}

/// The attempt loop: run, decide, wait, run again, until success or a limit.
public struct Runner {
    /// How long an attempt runs before it is protected against outliving a
    /// killed `retry`: starting the watchdog costs about a millisecond, which
    /// a command that takes this long does not notice.
    public static let orphanGuardDelay = Duration.milliseconds(100)

    /// The signals a terminal sends its foreground group on the user's behalf.
    static let terminalStops: Set<Int32> = [Signal.interrupt, Signal.quit, Signal.hangup]

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

    /// Runs the command until it succeeds, fails for good, runs out of
    /// attempts or time, or `retry` is told to stop; jitter comes from
    /// `random`. The breaker may refuse the run before it starts.
    public func run(random: inout some RandomNumberGenerator) -> RunResult {
        guard let memory else {
            var lastRetryCost: Int?, couldStart = true
            return loop(random: &random, lastRetryCost: &lastRetryCost, couldStart: &couldStart)
        }
        if configuration.presentation.verbosity == .verbose || configuration.presentation.logFormat == .json { report(.memoryState(memory.describe())) }
        if case .rejected(let message) = memory.admit() {
            report(.breakerOpen(message))
            return .exit(.breakerOpen)
        }
        var lastRetryCost: Int?
        var couldStart = true
        let result = loop(random: &random, lastRetryCost: &lastRetryCost, couldStart: &couldStart)
        let verdict: RunVerdict = switch result {
        case .signal: .inconclusive
        case .exit(.success): .succeeded
        case .exit: couldStart ? .failed : .inconclusive
        }
        memory.finish(verdict, lastRetryCost: lastRetryCost)
        return result
    }

    /// The attempt loop. Also says what the last paid retry cost the quota,
    /// and whether the last attempt's command could be started at all.
    private func loop(random: inout some RandomNumberGenerator, lastRetryCost: inout Int?, couldStart: inout Bool) -> RunResult {
        let limit = configuration.limits.maxAttempts
        var previousDelay: Duration?
        var budgetEnd: Duration?
        var number = 0
        while true {
            number += 1
            let attempt = RunEvent.Attempt(number, of: limit)
            report(.attemptStarted(attempt))
            let started = clock.now()
            if budgetEnd == nil, let budget = configuration.limits.budget { budgetEnd = started + budget }
            let process: StartedProcess
            do {
                process = try launcher.start(request(for: number))
            } catch {
                report(.launchFailed(attempt, error))
                couldStart = false
                return .exit(error.status)
            }
            let ending = supervise(process, started: started, budgetEnd: budgetEnd)
            let output = launcher.release(process)
            let elapsed = clock.now() - started
            let outcome: AttemptOutcome
            switch ending {
            case .interrupted(let signal):
                report(.interrupted(signal, duringAttempt: true))
                return .signal(signal)
            case .budgetSpent:
                report(.gaveUp(.budgetSpent(configuration.limits.budget ?? .zero), attempts: number, status: .timedOut))
                return .exit(.timedOut)
            case .finished(let finished):
                outcome = configuration.policy.refine(finished, with: output, http: configuration.watch.http)
            }
            let status = outcome.status
            switch configuration.policy.verdict(for: outcome) {
            case .success:
                report(.succeeded(attempt, elapsed: elapsed))
                if configuration.watch.holdStdout { launcher.publishHeldOutput() }
                return .exit(status)
            case .permanent(let reason):
                report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: nil))
                report(.gaveUp(.notRetryable(reason), attempts: number, status: status))
                return .exit(status)
            case .retry:
                if let limit, number >= limit {
                    report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: nil))
                    report(.gaveUp(.attemptsExhausted, attempts: number, status: status))
                    return .exit(status)
                }
                var delay = configuration.backoff.delay(after: number, previous: previousDelay, using: &random)
                previousDelay = delay
                if case .flagged(_, .http) = outcome, let asked = serverDelay(output) {
                    delay = min(asked, configuration.policy.maxRetryAfter)
                    report(.retryAfter(asked: asked, waiting: delay))
                    if let budgetEnd, clock.now() + delay >= budgetEnd {
                        report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: nil))
                        report(.gaveUp(.retryAfterPastBudget(configuration.limits.budget ?? .zero, asked: asked), attempts: number, status: status))
                        return .exit(status)
                    }
                }
                if let budgetEnd, clock.now() + delay >= budgetEnd {
                    report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: nil))
                    report(.gaveUp(.budgetWouldPass(configuration.limits.budget ?? .zero, delay: delay), attempts: number, status: status))
                    return .exit(status)
                }
                if let memory {
                    let afterTimeout = if case .timedOut = outcome { true } else { false }
                    switch memory.payForRetry(afterTimeout: afterTimeout) {
                    case .paid(let cost): lastRetryCost = cost
                    case .free: break
                    case .refused:
                        report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: nil))
                        report(.gaveUp(.quotaEmpty, attempts: number, status: status))
                        return .exit(status)
                    }
                }
                report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: delay))
                if let signal = wait(until: clock.now() + delay) {
                    report(.interrupted(signal, duringAttempt: false))
                    return .signal(signal)
                }
            }
        }
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

    /// The delay the last response's Retry-After asks for; a malformed one
    /// is ignored, with a note for --verbose.
    private func serverDelay(_ output: OutputReport) -> Duration? {
        guard let value = output.retryAfter else { return nil }
        guard let delay = RetryAfter.delay(value, now: wall.now()) else {
            report(.note("ignoring the malformed Retry-After '\(value)'"))
            return nil
        }
        return delay
    }

    /// The backoff sleep; returns the signal that cut it short, if any.
    private func wait(until deadline: Duration) -> Int32? {
        while let event = events.next(until: deadline) {
            if case .signal(let signal) = event { return signal }
        }
        return nil
    }

    private enum Ending {
        case finished(AttemptOutcome)
        case budgetSpent
        case interrupted(Int32)
    }

    /// Waits for the attempt to end, tearing it down when its time is up and
    /// forwarding the signals `retry` receives to its process group.
    private func supervise(_ process: StartedProcess, started: Duration, budgetEnd: Duration?) -> Ending {
        let group = process.pid
        let timeoutEnd = configuration.limits.timeout.map { started + $0 }
        var protectAt: Duration? = started + Self.orphanGuardDelay
        var teardown: Teardown?
        var interruption: Int32?
        while true {
            // Once SIGKILL is out, nothing is left to do but wait for the exit.
            let limit = teardown.map(\.deadline) ?? [timeoutEnd, budgetEnd].compactMap { $0 }.min()
            let deadline = [limit, protectAt].compactMap { $0 }.min()
            guard let event = events.next(until: deadline) else {
                if let due = protectAt, clock.now() >= due {
                    launcher.protect(group, grace: configuration.limits.killAfter)
                    protectAt = nil
                    if limit.map({ clock.now() < $0 }) ?? true { continue }
                }
                if var current = teardown {
                    current.escalate(launcher, group: group)
                    teardown = current
                } else {
                    let cause: Teardown.Cause = budgetEnd.map { $0 <= (timeoutEnd ?? $0) } == true ? .budget : .timeout
                    teardown = Teardown(cause: cause, group: group, launcher: launcher, clock: clock, grace: configuration.limits.killAfter)
                }
                continue
            }
            switch event {
            case .signal(let signal):
                interruption = interruption ?? signal
                launcher.signalGroup(group, signal)
                // As GNU timeout does: a command that ignores the forwarded
                // signal gets --kill-after, then SIGKILL.
                if teardown == nil {
                    teardown = Teardown(cause: .signal, group: group, launcher: nil, clock: clock, grace: configuration.limits.killAfter)
                }
            case .exited(let pid, let termination) where pid == group:
                // The terminal's Ctrl-C, Ctrl-\\ and hangup reach the command's
                // group alone while it owns the terminal: dying of one is the
                // user's stop, and what is left of the group goes too.
                if interruption == nil, process.ownsTerminal, case .signaled(let signal) = termination,
                   Self.terminalStops.contains(signal) {
                    interruption = signal
                    teardown = Teardown(cause: .signal, group: group, launcher: launcher, clock: clock, grace: configuration.limits.killAfter)
                }
                if teardown != nil, let signal = clearGroup(group, teardown: teardown!) {
                    interruption = interruption ?? signal
                }
                if let interruption { return .interrupted(interruption) }
                switch teardown?.cause {
                case .budget: return .budgetSpent
                case .timeout: return .finished(.timedOut(limit: configuration.limits.timeout ?? .zero))
                case .signal, nil: return .finished(.terminated(termination))
                }
            case .exited:
                continue
            }
        }
    }

    /// After the command itself has gone, what is left of its group (a
    /// grandchild that ignores SIGTERM) gets until the grace period ends,
    /// then SIGKILL. The group's members are not our children, so their end
    /// is polled, not awaited. Returns the first signal `retry` received
    /// meanwhile, which ends the run like any other.
    private func clearGroup(_ group: Int32, teardown: Teardown) -> Int32? {
        var teardown = teardown
        let pollInterval = Duration.milliseconds(5)
        // SIGKILL cannot be resisted; a process stuck in the kernel is not
        // worth hanging for, so polling stops a second after it.
        var giveUpAt: Duration?
        var received: Int32?
        while launcher.groupIsAlive(group) {
            if let deadline = teardown.deadline, clock.now() >= deadline {
                teardown.escalate(launcher, group: group)
                giveUpAt = clock.now() + .seconds(1)
            }
            if let giveUpAt, clock.now() >= giveUpAt { break }
            let pause = clock.now() + pollInterval
            if case .signal(let signal) = events.next(until: min(pause, teardown.deadline ?? pause)) {
                received = received ?? signal
            }
        }
        return received
    }
}

/// The steps of ending an attempt: SIGTERM to the group (or the signal
/// `retry` received, already forwarded), `--kill-after` of grace, then
/// SIGKILL to the group.
struct Teardown {
    enum Cause { case timeout, budget, signal }

    let cause: Cause
    /// When to send SIGKILL; nil once it has been sent.
    private(set) var deadline: Duration?

    /// Sends SIGTERM (unless `launcher` is nil: the group already had a signal).
    init(cause: Cause, group: Int32, launcher: (any ProcessLauncher)?, clock: any MonotonicClock, grace: Duration) {
        self.cause = cause
        launcher?.signalGroup(group, Signal.terminate)
        deadline = clock.now() + grace
    }

    mutating func escalate(_ launcher: any ProcessLauncher, group: Int32) {
        launcher.signalGroup(group, Signal.kill)
        deadline = nil
    }
}
