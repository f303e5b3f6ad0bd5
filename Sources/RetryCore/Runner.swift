/// The attempt loop: run, decide, wait, run again, until success or a limit.
public struct Runner {
    public let configuration: Configuration
    /// The environment every attempt starts from.
    public let environment: [String: String]
    public let idempotencyKey: String
    public let launcher: any ProcessLauncher
    public let clock: any MonotonicClock
    public let sleeper: any Sleeper
    public let report: (RunEvent) -> Void

    public init(configuration: Configuration, environment: [String: String], idempotencyKey: String,
                launcher: any ProcessLauncher, clock: any MonotonicClock, sleeper: any Sleeper,
                report: @escaping (RunEvent) -> Void) {
        self.configuration = configuration
        self.environment = environment
        self.idempotencyKey = idempotencyKey
        self.launcher = launcher
        self.clock = clock
        self.sleeper = sleeper
        self.report = report
    }

    /// Runs the command until it succeeds, fails for good or runs out of
    /// attempts, drawing jitter from `random`; returns the status to exit with.
    public func run(random: inout some RandomNumberGenerator) -> ExitStatus {
        let limit = configuration.maxAttempts
        var previousDelay: Duration?
        var number = 0
        while true {
            number += 1
            let attempt = RunEvent.Attempt(number, of: limit)
            report(.attemptStarted(attempt))
            let started = clock.now()
            let termination: Termination
            do {
                termination = try launcher.run(request(for: number))
            } catch {
                report(.launchFailed(attempt, error))
                return error.status
            }
            let elapsed = clock.now() - started
            let status = termination.status
            switch configuration.policy.verdict(for: status) {
            case .success:
                report(.succeeded(attempt, elapsed: elapsed))
                return status
            case .permanent(let reason):
                report(.attemptFailed(attempt, termination, elapsed: elapsed, next: nil))
                report(.gaveUp(.notRetryable(reason), attempts: number, status: status))
                return status
            case .retry:
                if let limit, number >= limit {
                    report(.attemptFailed(attempt, termination, elapsed: elapsed, next: nil))
                    report(.gaveUp(.attemptsExhausted, attempts: number, status: status))
                    return status
                }
                let delay = configuration.backoff.delay(after: number, previous: previousDelay, using: &random)
                previousDelay = delay
                report(.attemptFailed(attempt, termination, elapsed: elapsed, next: delay))
                sleeper.sleep(for: delay)
            }
        }
    }

    /// The command with the attempt's `RETRY_*` variables added.
    func request(for attempt: Int) -> LaunchRequest {
        var environment = environment
        environment["RETRY_ATTEMPT"] = String(attempt)
        environment["RETRY_MAX_ATTEMPTS"] = String(configuration.maxAttempts ?? 0)
        environment["RETRY_IDEMPOTENCY_KEY"] = idempotencyKey
        return LaunchRequest(arguments: configuration.command, environment: environment)
    }
}
