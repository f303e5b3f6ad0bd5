/// Runs one hook (`--before-retry`, `--on-give-up`) as `/bin/sh -c CMD`,
/// through the same launcher and supervisor as the attempts: its own process
/// group, `--hook-timeout` then the attempts' teardown, signals to `retry`
/// forwarded to it. Its stdout goes to `retry`'s stderr, so that stdout
/// stays the command's. What it does changes nothing but the report.
struct HookRunner {
    /// How the run goes on after a hook.
    enum Result: Equatable {
        case done
        /// The `--budget` ran out while the hook ran.
        case budgetSpent
        /// `retry` received this signal: no further attempt, no other hook.
        case interrupted(Int32)
    }

    let hooks: Hooks
    /// The grace between SIGTERM and SIGKILL, the attempts' `--kill-after`.
    let killAfter: Duration
    /// The command's environment, which the hook's variables are added to.
    let environment: [String: String]
    let launcher: any ProcessStarter & GroupSignaller & JobControl
    let events: any EventSource
    let clock: any MonotonicClock
    let report: (RunEvent) -> Void

    /// The `/bin/sh -c` request for `command` told about `context`.
    func request(_ command: String, context: HookContext) -> LaunchRequest {
        var request = LaunchRequest(arguments: ["/bin/sh", "-c", command], environment: context.environment(adding: environment))
        request.outputToStandardError = true
        request.inputFromNull = true
        request.killAfter = killAfter
        return request
    }

    /// Runs `hook`'s command, if it has one, until it ends, its
    /// `--hook-timeout` tears it down, or `budgetEnd` passes.
    func run(_ hook: RunEvent.Hook, context: HookContext, budgetEnd: Duration?) -> Result {
        guard let command = hook == .beforeRetry ? hooks.beforeRetry : hooks.onGiveUp else { return .done }
        report(.hookStarted(hook, attempt: context.attempt))
        let started = clock.now()
        let process: StartedProcess
        do {
            process = try launcher.start(request(command, context: context))
        } catch {
            report(.hookEnded(hook, attempt: context.attempt, .cannotStart(error), elapsed: clock.now() - started))
            return .done
        }
        var limits = Limits()
        limits.timeout = hooks.timeout
        limits.killAfter = killAfter
        let supervisor = AttemptSupervisor(limits: limits, launcher: launcher, events: events, clock: clock)
        let ending = supervisor.supervise(process, started: started, budgetEnd: budgetEnd)
        _ = launcher.release(process)
        let elapsed = clock.now() - started
        let result: Result
        let hookEnding: RunEvent.HookEnding
        switch ending {
        case .finished(let outcome): (hookEnding, result) = (.finished(outcome), .done)
        case .budgetSpent: (hookEnding, result) = (.budgetSpent, .budgetSpent)
        case .interrupted(let signal): (hookEnding, result) = (.interrupted(signal), .interrupted(signal))
        }
        report(.hookEnded(hook, attempt: context.attempt, hookEnding, elapsed: elapsed))
        if case .interrupted(let signal) = result { report(.interruptedDuringHook(signal, hook)) }
        return result
    }
}
