/// Watches one running attempt: ends it at its `--timeout` or the run's
/// `--budget`, forwards the signals `retry` receives to its process group,
/// and clears what is left of the group once the command has gone.
struct AttemptSupervisor {
    /// The signals a terminal sends its foreground group on the user's behalf.
    static let terminalStops: Set<Int32> = [Signal.interrupt, Signal.quit, Signal.hangup]

    /// How the attempt ended, as far as the loop is concerned.
    enum Ending: Equatable {
        case finished(AttemptOutcome)
        case budgetSpent
        case interrupted(Int32)
    }

    let limits: Limits
    let launcher: any GroupSignaller & JobControl
    let events: any EventSource
    let clock: any MonotonicClock

    /// Starts `cause`'s teardown of `group` now: sends its first signal.
    private func beginTeardown(_ cause: Teardown.Cause, group: Int32) -> Teardown {
        if let signal = Teardown.firstSignal(for: cause) { send(signal, to: group) }
        return Teardown(cause: cause, now: clock.now(), grace: limits.killAfter)
    }

    private func escalate(_ teardown: inout Teardown, group: Int32) {
        send(teardown.escalate(), to: group)
    }

    /// Sends `signal` to the group, then SIGCONT, as GNU timeout does: a
    /// stopped process (SIGSTOP, or SIGTTIN from a background read) acts on
    /// a signal only once continued, and would otherwise wait for SIGKILL.
    private func send(_ signal: Int32, to group: Int32) {
        launcher.signalGroup(group, signal)
        if let followUp = Teardown.followUp(after: signal) { launcher.signalGroup(group, followUp) }
    }

    /// Waits for the attempt to end, tearing it down when its time is up and
    /// forwarding the signals `retry` receives to its process group.
    func supervise(_ process: StartedProcess, started: Duration, budgetEnd: Duration?) -> Ending {
        let group = process.pid
        let timeoutEnd = limits.timeout.map { started + $0 }
        var teardown: Teardown?
        var interruption: Int32?
        while true {
            // Once SIGKILL is out, nothing is left to do but wait for the exit.
            let deadline = teardown.map(\.deadline) ?? [timeoutEnd, budgetEnd].compactMap { $0 }.min()
            guard let event = events.next(until: deadline) else {
                if var current = teardown {
                    escalate(&current, group: group)
                    teardown = current
                } else {
                    let cause: Teardown.Cause = budgetEnd.map { $0 <= (timeoutEnd ?? $0) } == true ? .budget : .timeout
                    teardown = beginTeardown(cause, group: group)
                }
                continue
            }
            switch event {
            case .signal(let signal):
                interruption = interruption ?? signal
                send(signal, to: group)
                // As GNU timeout does: a command that ignores the forwarded
                // signal gets --kill-after, then SIGKILL.
                if teardown == nil {
                    teardown = beginTeardown(.signal, group: group)
                }
            case .exited(let pid, let termination) where pid == group:
                return finish(process, termination, teardown: teardown, interruption: interruption)
            case .stopped(let pid) where pid == group && process.ownsTerminal:
                // Job control: the user's Ctrl-Z stopped the command's group,
                // and the shell waits for retry, its job, to stop as well.
                launcher.suspend(with: process)
            case .exited, .stopped:
                continue
            }
        }
    }

    /// The signal by which a command that owned the terminal was stopped by
    /// the user: it died of the terminal's Ctrl-C, Ctrl-\\ or hangup, or it
    /// caught Ctrl-C and exited 130 (a shell's `trap 'exit 130' INT`), which
    /// `retry`, outside the terminal's foreground group, sees only as an exit.
    static func userStop(_ termination: Termination) -> Int32? {
        switch termination {
        case .signaled(let signal) where terminalStops.contains(signal): signal
        case .exited(let code) where code == 128 + Signal.interrupt: Signal.interrupt
        default: nil
        }
    }

    /// The command has exited: clears what is left of its group if it is
    /// being torn down, and says how the attempt ended.
    private func finish(_ process: StartedProcess, _ termination: Termination, teardown: Teardown?,
                        interruption: Int32?) -> Ending {
        let group = process.pid
        var teardown = teardown, interruption = interruption
        // The terminal's Ctrl-C, Ctrl-\\ and hangup reach the command's
        // group alone while it owns the terminal: ending by one is the
        // user's stop, and what is left of the group goes too.
        if interruption == nil, process.ownsTerminal, let signal = Self.userStop(termination) {
            interruption = signal
            send(Signal.terminate, to: group)
            teardown = Teardown(cause: .signal, now: clock.now(), grace: limits.killAfter)
        }
        if let current = teardown, let signal = clearGroup(group, teardown: current) {
            interruption = interruption ?? signal
        }
        if let interruption { return .interrupted(interruption) }
        switch teardown?.cause {
        case .budget: return .budgetSpent
        case .timeout: return .finished(.timedOut(limit: limits.timeout ?? .zero))
        case .signal, nil: return .finished(.terminated(termination))
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
        // SIGKILL cannot be resisted, but a process stuck in the kernel is
        // not worth hanging for: polling stops a little after it, so that
        // teardown ends within --kill-after and this margin.
        var giveUpAt: Duration? = teardown.deadline == nil ? clock.now() + Self.afterKill : nil
        var received: Int32?
        while launcher.groupIsAlive(group) {
            if let deadline = teardown.deadline, clock.now() >= deadline {
                escalate(&teardown, group: group)
                giveUpAt = clock.now() + Self.afterKill
            }
            if let giveUpAt, clock.now() >= giveUpAt { break }
            let pause = clock.now() + pollInterval
            if case .signal(let signal) = events.next(until: min(pause, teardown.deadline ?? pause)) {
                received = received ?? signal
            }
        }
        return received
    }

    /// How long the group is watched after SIGKILL before teardown ends.
    static let afterKill = Duration.milliseconds(250)
}
