/// The attempt loop: run, decide, wait, run again, until success or a limit.
/// Each attempt is watched by an `AttemptSupervisor`; what follows it is
/// decided by `RetryDecision`; the loop carries that out and reports.
package struct Runner {
    package let configuration: Configuration
    /// The environment every attempt starts from.
    package let environment: [String: String]
    package let idempotencyKey: String
    package let launcher: any ProcessLauncher
    package let events: any EventSource
    package let clock: any MonotonicClock
    /// The breaker and quota; nil when neither is asked for.
    package let memory: (any RunMemory)?
    /// For Retry-After dates.
    package let wall: any WallClock
    /// The fleet pacer's store (`--pace`); nil when not asked for.
    package let pace: (any PaceStore)?
    package let report: (RunEvent) -> Void

    package init(configuration: Configuration, environment: [String: String], idempotencyKey: String,
                launcher: any ProcessLauncher, events: any EventSource, clock: any MonotonicClock,
                memory: (any RunMemory)? = nil, wall: any WallClock, pace: (any PaceStore)? = nil,
                report: @escaping (RunEvent) -> Void) {
        self.pace = pace
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
        /// Whether the last attempt got a 429: the server is pacing us,
        /// which is the pacer's business, not a failure the breaker counts.
        var throttled = false
    }

    /// What the loop carries from one attempt to the next.
    private struct Progress {
        /// The delay drawn before the last attempt (decorrelated grows from it).
        var previousDelay: Duration?
        /// When the first attempt started, and when the `--budget` ends.
        var firstStart: Duration?
        var budgetEnd: Duration?
    }

    /// How the loop ended, and what `--on-give-up` is told about it.
    private struct Ending {
        let result: RunResult
        /// Nil when the run succeeded or `retry` was stopped by a signal.
        var giveUp: HookContext?
    }

    /// Runs the command until it succeeds, fails for good, runs out of
    /// attempts or time, or `retry` is told to stop; jitter comes from
    /// `random`. The breaker may refuse the run before it starts.
    package func run(random: inout some RandomNumberGenerator) -> RunResult {
        if let signal = stagger(random: &random) { return .signal(signal) }
        var tally = Tally()
        if let pace, configuration.presentation.verbosity == .verbose || configuration.presentation.logFormat == .json {
            report(.memoryState(pace.describe()))
        }
        // The wait for the first slot counts against the --budget.
        guard let memory else {
            let ending = loop(random: &random, tally: &tally, runStarted: pace.map { _ in clock.now() })
            paceLearn(ending)
            return finish(ending)
        }
        if configuration.presentation.verbosity == .verbose || configuration.presentation.logFormat == .json {
            report(.memoryState(memory.describe()))
        }
        if case .rejected(let message) = memory.admit() {
            report(.breakerOpen(message))
            let status = ExitStatus(for: .breakerOpen)
            return finish(Ending(result: .exit(status), giveUp: HookContext(
                attempt: 0, maxAttempts: configuration.limits.maxAttempts, status: status, reason: .breaker,
                elapsed: .zero, idempotencyKey: idempotencyKey)))
        }
        let runStarted = clock.now()
        if let early = awaitSharedRetryAfter(memory, random: &random) {
            memory.finish(.inconclusive, lastRetryCost: nil)
            return finish(early)
        }
        let ending = loop(random: &random, tally: &tally, runStarted: runStarted)
        let verdict: RunVerdict = switch ending.result {
        case .signal: .inconclusive
        case .exit(.success): .succeeded
        case .exit: tally.couldStart && !tally.throttled ? .failed : .inconclusive
        }
        memory.finish(verdict, lastRetryCost: tally.lastRetryCost)
        paceLearn(ending)
        return finish(ending)
    }

    /// A run that succeeded tells the `--pace`, whose learned rate (no
    /// `--rate`) rises; throttles cut it through `holdPace`.
    private func paceLearn(_ ending: Ending) {
        if case .exit(.success) = ending.result { pace?.succeeded() }
    }

    /// The `--stagger` before the first attempt, drawn from the generator
    /// the jitter uses, so `--seed` reproduces it. It comes before the
    /// breaker is asked, so the breaker is read as the run really starts,
    /// and before the `--budget` starts. Returns the signal that cut it short.
    private func stagger(random: inout some RandomNumberGenerator) -> Int32? {
        let delay = configuration.backoff.staggerDelay(using: &random)
        // Drawn all the same, so --seed gives the same delays either way.
        guard delay > .zero, launcher.canStart(request(for: 1)) else { return nil }
        report(.stagger(delay))
        guard let signal = wait(until: clock.now() + delay) else { return nil }
        report(.interrupted(signal, duringAttempt: false))
        return signal
    }

    /// Before the first attempt: waits for a Retry-After another run shared
    /// through the breaker, or ends the run at once (75) when the wait would
    /// reach the `--budget`. Returns how the run ends, if it ends here.
    private func awaitSharedRetryAfter(_ memory: any RunMemory, random: inout some RandomNumberGenerator) -> Ending? {
        guard let shared = memory.sharedWait() else { return nil }
        if let budget = configuration.limits.budget, shared.delay >= budget {
            report(.breakerOpen(SharedStateWording.sharedWaitPastBudget(shared, budget: budget)))
            let status = ExitStatus(for: .breakerOpen)
            return Ending(result: .exit(status), giveUp: HookContext(
                attempt: 0, maxAttempts: configuration.limits.maxAttempts, status: status, reason: .breaker,
                elapsed: .zero, idempotencyKey: idempotencyKey))
        }
        // The runs held back wake spread over as long again, not all at the
        // shared moment (within what the budget leaves).
        let delay = RetryAfterWait.delay(asked: shared.delay, ceiling: DurationText.maximum,
                                         room: configuration.limits.budget, unit: random.nextUnit())
        report(.note(SharedStateWording.sharedWait(shared, waiting: delay)))
        if let signal = wait(until: clock.now() + delay) {
            report(.interrupted(signal, duringAttempt: false))
            return Ending(result: .signal(signal))
        }
        return nil
    }

    /// Records the response's Retry-After in the breaker for every run that
    /// shares it, whether or not this run retries (capped as this run's own
    /// wait is, by --max-retry-after).
    private func shareRetryAfter(_ output: OutputReport) {
        guard configuration.watch.http, let memory, let value = output.retryAfter,
              let asked = RetryAfter.delay(value, now: wall.now()), asked > .zero else { return }
        memory.shareRetryAfter(min(asked, configuration.policy.maxRetryAfter))
    }

    /// Before attempt `number`: takes a slot from the `--pace` and sleeps
    /// until it, then looks at the hold again, since a server may have
    /// asked for a longer wait meanwhile (a later slot is then taken, a few
    /// times at most). A slot past the `--budget` ends the run at once:
    /// with status 75 before the first attempt, else with the last
    /// attempt's. Returns how the run ends, if it ends here.
    private func awaitSlot(_ pace: any PaceStore, for number: Int, after last: AttemptOutcome?, _ progress: Progress) -> Ending? {
        for _ in 0..<Self.slotTakes {
            let limit = progress.budgetEnd.map { max(.zero, $0 - clock.now()) }
            guard let ticket = pace.takeSlot(within: limit) else { return nil }
            switch ticket {
            case .pastLimit(let wait):
                let budget = configuration.limits.budget ?? .zero
                guard let last else {
                    let status = ExitStatus(for: .breakerOpen)
                    report(.gaveUp(.paceSlotPastBudget(budget, wait: wait), attempts: 0, status: status))
                    return Ending(result: .exit(status), giveUp: HookContext(
                        attempt: 0, maxAttempts: configuration.limits.maxAttempts, status: status, reason: .budget,
                        elapsed: .zero, idempotencyKey: idempotencyKey))
                }
                return giveUp(.paceSlotPastBudget(budget, wait: wait), status: last.status, after: number - 1, last, progress)
            case .wait(let delay, let slot):
                // Reported even when due at once: the JSON log then holds
                // every slot, which shows the spacing across runs.
                report(.paceWait(attempt: number, delay: delay, slot: slot, store: pace.display))
                if delay > .zero, let signal = wait(until: clock.now() + delay) {
                    report(.interrupted(signal, duringAttempt: false))
                    return Ending(result: .signal(signal))
                }
                guard let held = pace.holdRemaining(), held > .zero else { return nil }
            }
        }
        return nil
    }

    /// How many slots a run takes before one attempt at most: each further
    /// one follows a hold a server set while the run slept.
    static let slotTakes = 64

    /// Holds the `--pace` for a 429 or 503 whose Retry-After asks for a
    /// wait (capped by --max-retry-after), whether or not this run retries.
    private func holdPace(_ output: OutputReport) {
        guard configuration.watch.http, let pace, let code = output.httpStatus, code == 429 || code == 503,
              let value = output.retryAfter, let asked = RetryAfter.delay(value, now: wall.now()), asked > .zero else { return }
        pace.hold(for: min(asked, configuration.policy.maxRetryAfter))
    }

    /// Runs `--on-give-up` when the run ended without success; a signal to
    /// `retry` during it ends `retry` with that signal.
    private func finish(_ ending: Ending) -> RunResult {
        guard let context = ending.giveUp else { return ending.result }
        if case .interrupted(let signal) = hooks.run(.onGiveUp, context: context, budgetEnd: nil) { return .signal(signal) }
        return ending.result
    }

    /// Runs the hooks with the attempts' launcher, events, clock and grace.
    private var hooks: HookRunner {
        HookRunner(hooks: configuration.hooks, killAfter: configuration.limits.killAfter, environment: environment,
                   launcher: launcher, events: events, clock: clock, report: report)
    }

    /// The attempts. `runStarted`, when given, is when the run started
    /// before its first attempt (a shared wait), from which the `--budget` runs.
    private func loop(random: inout some RandomNumberGenerator, tally: inout Tally, runStarted: Duration? = nil) -> Ending {
        let supervisor = AttemptSupervisor(limits: configuration.limits, launcher: launcher, events: events, clock: clock)
        var progress = Progress()
        if let runStarted {
            progress.firstStart = runStarted
            progress.budgetEnd = configuration.limits.budget.map { runStarted + $0 }
        }
        var advisedHTTP = false
        var number = 0
        var last: AttemptOutcome?
        while true {
            number += 1
            if let pace, let end = awaitSlot(pace, for: number, after: last, progress) { return end }
            let attempt = RunEvent.Attempt(number, of: configuration.limits.maxAttempts)
            report(.attemptStarted(attempt))
            let started = clock.now()
            if progress.firstStart == nil {
                progress.firstStart = started
                progress.budgetEnd = configuration.limits.budget.map { started + $0 }
            }
            if let stop = signalBeforeStart() { return stop }
            let process: StartedProcess
            do {
                process = try launcher.start(request(for: number))
            } catch {
                report(.launchFailed(attempt, error))
                tally.couldStart = false
                return Ending(result: .exit(error.status), giveUp: context(number, status: error.status, reason: .exit, progress))
            }
            let ending = supervisor.supervise(process, started: started, budgetEnd: progress.budgetEnd)
            let output = launcher.release(process)
            let elapsed = clock.now() - started
            let outcome: AttemptOutcome
            switch ending {
            case .interrupted(let signal):
                report(.interrupted(signal, duringAttempt: true))
                return Ending(result: .signal(signal))
            case .budgetSpent:
                let status = ExitStatus(for: .timedOut)
                report(.gaveUp(.budgetSpent(configuration.limits.budget ?? .zero), attempts: number, status: status))
                return Ending(result: .exit(status), giveUp: context(number, status: status, reason: .budget, progress))
            case .finished(let finished):
                outcome = configuration.policy.refine(finished, with: output, http: configuration.watch.http)
                adviseOnce(&advisedHTTP, finished, output, attempt)
                shareRetryAfter(output)
                holdPace(output)
            }
            last = outcome
            if case .flagged(_, .http(let code)) = outcome { tally.throttled = code == 429 } else { tally.throttled = false }
            if let end = settle(output, outcome, after: number, progress) { return end }
            var decision = RetryDecision.after(
                attempt: number, outcome, retryAfter: output.retryAfter, configuration: configuration,
                previousDelay: &progress.previousDelay, now: clock.now(), budgetEnd: progress.budgetEnd,
                wallNow: wall.now(), random: &random)
            if case .retry = decision.next, let shared = memory?.sharedWait() {
                decision = decision.waiting(for: shared, status: outcome.status, now: clock.now(),
                                            budgetEnd: progress.budgetEnd, budget: configuration.limits.budget ?? .zero,
                                            unit: random.nextUnit())
            }
            decision.notes.forEach(report)
            if let end = carryOut(decision.next, after: attempt, outcome, elapsed: elapsed, progress, tally: &tally) {
                return end
            }
        }
    }

    /// A signal that came while nothing could wait for it (a state-file
    /// lock, the previous attempt's output) stops the run before an attempt.
    private func signalBeforeStart() -> Ending? {
        guard let signal = events.receivedSignal else { return nil }
        report(.interrupted(signal, duringAttempt: false))
        return Ending(result: .signal(signal))
    }

    /// What ends the run after an attempt whatever the decision would be: a
    /// signal that came while the output drained (it stops the run as one
    /// during the attempt does), or output that was lost.
    private func settle(_ output: OutputReport, _ outcome: AttemptOutcome, after number: Int, _ progress: Progress) -> Ending? {
        if let signal = events.receivedSignal {
            report(.interrupted(signal, duringAttempt: true))
            return Ending(result: .signal(signal))
        }
        guard let lost = output.lost, !(lost == .readerGone && outcome.status == .success) else { return nil }
        return giveUp(lost, commandStatus: outcome.status, after: number, outcome, progress)
    }

    /// Ends the run on lost output: 125, or the command's own status when
    /// its reader left (the command met the broken pipe itself).
    private func giveUp(_ loss: OutputLoss, commandStatus: ExitStatus, after number: Int, _ outcome: AttemptOutcome,
                        _ progress: Progress) -> Ending {
        let status = loss == .readerGone ? commandStatus : ExitStatus(for: .outputLost)
        return giveUp(.outputLost(loss), status: status, after: number, outcome, progress)
    }

    /// Carries out the decision after `attempt`: how the run ends, or nil
    /// when the next attempt may start.
    private func carryOut(_ next: RetryDecision.Next, after attempt: RunEvent.Attempt, _ outcome: AttemptOutcome,
                          elapsed: Duration, _ progress: Progress, tally: inout Tally) -> Ending? {
        var next = next
        // Nothing reads retry's stdout any more (`retry -- yes | head -1`):
        // another attempt could only meet the same broken pipe.
        if case .retry = next, launcher.outputReaderIsGone() { next = .stop(outcome.status, .outputLost(.readerGone)) }
        if case .retry = next, let memory, !pay(memory, after: outcome, tally: &tally) {
            next = .stop(outcome.status, .quotaEmpty)
        }
        switch next {
        case .succeed(let status):
            report(.succeeded(attempt, elapsed: elapsed))
            if configuration.watch.holdStdout, let lost = launcher.publishHeldOutput() {
                // A signal cut the publishing short: the run ends of it, 128+N.
                if let signal = events.receivedSignal {
                    report(.interrupted(signal, duringAttempt: false))
                    return Ending(result: .signal(signal))
                }
                return giveUp(lost, commandStatus: ExitStatus(for: .readerGone), after: attempt.number, outcome, progress)
            }
            return Ending(result: .exit(status))
        case .stop(let status, let reason):
            report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: nil))
            return giveUp(reason, status: status, after: attempt.number, outcome, progress)
        case .retry(let delay, let reason):
            report(.attemptFailed(attempt, outcome, elapsed: elapsed, next: delay, because: reason))
            return prepareRetry(after: attempt.number, outcome, delay: delay, progress)
        }
    }

    /// The `--before-retry` hook, then the delay: how the run ends if it
    /// ends there, or nil when the next attempt may start.
    private func prepareRetry(after number: Int, _ outcome: AttemptOutcome, delay: Duration, _ progress: Progress) -> Ending? {
        if configuration.hooks.beforeRetry != nil {
            let budget = configuration.limits.budget ?? .zero
            var context = context(number, outcome, progress)
            context.nextDelay = delay
            switch hooks.run(.beforeRetry, context: context, budgetEnd: progress.budgetEnd) {
            case .interrupted(let signal): return Ending(result: .signal(signal))
            case .budgetSpent: return giveUp(.budgetSpentInHook(budget), status: outcome.status, after: number, outcome, progress)
            case .done: break
            }
            // The hook's time counts against the budget: the delay must still fit.
            if let budgetEnd = progress.budgetEnd, clock.now() + delay >= budgetEnd {
                return giveUp(.budgetWouldPass(budget, delay: delay), status: outcome.status, after: number, outcome, progress)
            }
        }
        if let signal = wait(until: clock.now() + delay) {
            report(.interrupted(signal, duringAttempt: false))
            return Ending(result: .signal(signal))
        }
        return nil
    }

    /// Reports the end of the run for `reason` after attempt `number`.
    private func giveUp(_ reason: RunEvent.GiveUp, status: ExitStatus, after number: Int, _ outcome: AttemptOutcome,
                        _ progress: Progress) -> Ending {
        report(.gaveUp(reason, attempts: number, status: status))
        var context = context(number, outcome, progress)
        context.status = status
        context.reason = HookContext.Reason(reason, after: outcome)
        return Ending(result: .exit(status), giveUp: context)
    }

    /// What a hook is told after attempt `number` ended with `outcome`.
    private func context(_ number: Int, _ outcome: AttemptOutcome, _ progress: Progress) -> HookContext {
        HookContext(attempt: number, maxAttempts: configuration.limits.maxAttempts, outcome: outcome,
                    elapsed: clock.now() - (progress.firstStart ?? clock.now()), idempotencyKey: idempotencyKey)
    }

    /// What a hook is told after attempt `number`, which had no outcome of its own.
    private func context(_ number: Int, status: ExitStatus, reason: HookContext.Reason, _ progress: Progress) -> HookContext {
        HookContext(attempt: number, maxAttempts: configuration.limits.maxAttempts, status: status, reason: reason,
                    elapsed: clock.now() - (progress.firstStart ?? clock.now()), idempotencyKey: idempotencyKey)
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

    /// The `--http` hint for an attempt that showed no response, once a run.
    private func adviseOnce(_ advised: inout Bool, _ outcome: AttemptOutcome, _ output: OutputReport, _ attempt: RunEvent.Attempt) {
        guard !advised, let advice = HTTPAdvice.message(for: outcome, output: output, attempt: attempt, http: configuration.watch.http) else { return }
        report(.advice(advice))
        advised = true
    }

    /// The command with the attempt's `RETRY_*` variables added.
    func request(for attempt: Int) -> LaunchRequest {
        var environment = environment
        environment["RETRY_ATTEMPT"] = String(attempt)
        environment["RETRY_MAX_ATTEMPTS"] = String(configuration.limits.maxAttempts ?? 0)
        environment["RETRY_IDEMPOTENCY_KEY"] = idempotencyKey
        var request = LaunchRequest(arguments: configuration.command, environment: environment,
                                    watch: configuration.watch, replayStandardInput: configuration.replayStandardInput)
        request.killAfter = configuration.limits.killAfter
        return request
    }

    /// The backoff sleep; returns the signal that cut it short, if any.
    private func wait(until deadline: Duration) -> Int32? {
        while let event = events.next(until: deadline) {
            if case .signal(let signal) = event { return signal }
        }
        return nil
    }
}
