/// Writes each event as one JSON object per line (`--log-format json`), with
/// stable field names, for machines: CI log parsers, the benchmarks.
///
/// Every object has `event`, `time` (UTC, ISO 8601 with milliseconds) and
/// `monotonic_ns` (CLOCK_MONOTONIC when the event was written, so a command
/// that stamps the same clock can measure how soon its exit was noticed).
package struct JSONReporter {
    package let write: (String) -> Void
    package let wall: any WallClock
    package let clock: any MonotonicClock

    package init(wall: any WallClock, clock: any MonotonicClock, write: @escaping (String) -> Void) {
        self.write = write
        self.wall = wall
        self.clock = clock
    }

    package func report(_ event: RunEvent) {
        for fields in Self.objects(for: event) {
            let stamp: [(String, JSONValue)] = [("time", .string(Self.iso8601(wall.now()))),
                                                ("monotonic_ns", .integer(Int64(clamping: clock.now().nanoseconds)))]
            write(JSONValue.object(fields + stamp).encoded + "\n")
        }
    }

    /// The objects one event becomes, without the time stamps.
    static func objects(for event: RunEvent) -> [[(String, JSONValue)]] {
        switch event {
        case .attemptStarted(let attempt):
            return [[("event", "attempt-start")] + fields(attempt)]
        case .succeeded(let attempt, let elapsed):
            return [[("event", "attempt-end")] + fields(attempt) + [("outcome", "exited"), ("status", .integer(0)),
                                                                    ("duration_ms", milliseconds(elapsed))],
                    [("event", "success"), ("attempts", .integer(Int64(attempt.number))), ("status", .integer(0))]]
        case .attemptFailed(let attempt, let outcome, let elapsed, let next, let reason):
            var end: [(String, JSONValue)] = [("event", "attempt-end")] + fields(attempt) + fields(outcome)
            end.append(("duration_ms", milliseconds(elapsed)))
            guard let next else { return [end] }
            return [end, [("event", "sleep"), ("after_attempt", .integer(Int64(attempt.number))),
                          ("delay_ms", milliseconds(next)), ("reason", .string(reason.rawValue))]]
        case .launchFailed(let attempt, let failure):
            return [[("event", "give-up"), ("attempts", .integer(Int64(attempt.number))), ("status", .integer(Int64(failure.status.rawValue))),
                     ("reason", "cannot-start"), ("message", .string(failure.message))]]
        case .gaveUp(let reason, let attempts, let status):
            var object: [(String, JSONValue)] = [("event", "give-up"), ("attempts", .integer(Int64(attempts))),
                                                 ("status", .integer(Int64(status.rawValue)))]
            object += fields(reason)
            if let line = TextReporter.line(for: event, verbosity: .normal) { object.append(("message", .string(line))) }
            return [object]
        case .breakerOpen(let message):
            return [[("event", "breaker-open"), ("status", .integer(Int64(ExitStatus(for: .breakerOpen).rawValue))), ("message", .string(message))]]
        case .memoryState(let lines):
            return [[("event", "state"), ("lines", .array(lines.map(JSONValue.string)))]]
        case .warning(let message), .advice(let message):
            return [[("event", "warning"), ("message", .string(message))]]
        case .note(let message):
            return [[("event", "note"), ("message", .string(message))]]
        case .retryAfter(let asked, let waiting):
            return [[("event", "retry-after"), ("asked_ms", milliseconds(asked)), ("delay_ms", milliseconds(waiting))]]
        case .interrupted(let signal, let duringAttempt):
            return [[("event", "interrupted"), ("signal", .string(SignalName.of(signal))),
                     ("during", duringAttempt ? "attempt" : "sleep"), ("status", .integer(Int64(128 + signal)))]]
        case .interruptedDuringHook, .stagger, .hookStarted, .hookEnded:
            return hookObjects(for: event)
        case .paceWait(let attempt, let delay, let slot, let store):
            return [[("event", "pace"), ("attempt", .integer(Int64(attempt))), ("delay_ms", milliseconds(delay)),
                     ("slot", .string(iso8601(slot))), ("slot_ms", .integer(Int64((slot * 1000).rounded()))),
                     ("store", .string(store))]]
        }
    }

    /// The objects of the stagger, of hooks, and of a signal during a hook.
    private static func hookObjects(for event: RunEvent) -> [[(String, JSONValue)]] {
        switch event {
        case .interruptedDuringHook(let signal, let hook):
            return [[("event", "interrupted"), ("signal", .string(SignalName.of(signal))), ("during", "hook"),
                     ("hook", .string(hook.rawValue)), ("status", .integer(Int64(128 + signal)))]]
        case .stagger(let delay):
            return [[("event", "stagger"), ("delay_ms", milliseconds(delay))]]
        case .hookStarted(let hook, let attempt):
            return [[("event", "hook-start"), ("hook", .string(hook.rawValue)), ("after_attempt", .integer(Int64(attempt)))]]
        case .hookEnded(let hook, let attempt, let ending, let elapsed):
            return [hookEnd(hook, attempt: attempt, ending, elapsed: elapsed)]
        default:
            return []
        }
    }

    private static func hookEnd(_ hook: RunEvent.Hook, attempt: Int, _ ending: RunEvent.HookEnding,
                                elapsed: Duration) -> [(String, JSONValue)] {
        var object: [(String, JSONValue)] = [("event", "hook-end"), ("hook", .string(hook.rawValue)),
                                             ("after_attempt", .integer(Int64(attempt)))]
        let outcome: JSONValue = switch ending {
        case .finished(.terminated(.exited)): "exited"
        case .finished(.terminated(.signaled)): "signaled"
        case .finished: "timed-out"
        case .budgetSpent: "budget-spent"
        case .interrupted: "interrupted"
        case .cannotStart: "cannot-start"
        }
        object += [("outcome", outcome), ("status", .integer(Int64(ending.status.rawValue)))]
        switch ending {
        case .finished(.terminated(.signaled(let signal))), .interrupted(let signal):
            object.append(("signal", .string(SignalName.of(signal))))
        case .cannotStart(let failure):
            object.append(("message", .string(failure.message)))
        default:
            break
        }
        object.append(("duration_ms", milliseconds(elapsed)))
        return object
    }

    /// How an attempt ended: `outcome`, `status` and what decided it.
    private static func fields(_ outcome: AttemptOutcome) -> [(String, JSONValue)] {
        switch outcome {
        case .terminated(.exited(let code)):
            return [("outcome", "exited"), ("status", .integer(Int64(code)))]
        case .terminated(.signaled(let signal)):
            return [("outcome", "signaled"), ("status", .integer(Int64(128 + signal))), ("signal", .string(SignalName.of(signal)))]
        case .timedOut(let limit):
            return [("outcome", "timed-out"), ("status", .integer(124)), ("timeout_ms", milliseconds(limit))]
        case .flagged(let termination, let finding):
            let flagged: [(String, JSONValue)] = [("outcome", "flagged"), ("status", .integer(Int64(outcome.status.rawValue))),
                                                  ("exit_status", .integer(Int64(termination.status.rawValue)))]
            switch finding {
            case .http(let code): return flagged + [("finding", "http"), ("http_status", .integer(Int64(code)))]
            case .retryPattern: return flagged + [("finding", "retry-if-output")]
            case .stopPattern: return flagged + [("finding", "stop-if-output")]
            }
        }
    }

    /// Why a run gave up: `reason` and its figures.
    private static func fields(_ reason: RunEvent.GiveUp) -> [(String, JSONValue)] {
        switch reason {
        case .attemptsExhausted: [("reason", "attempts-exhausted")]
        case .notRetryable(let why): [("reason", "not-retryable"), ("detail", .string(detail(why)))]
        case .budgetSpent(let budget): [("reason", "budget-spent"), ("budget_ms", milliseconds(budget))]
        case .budgetWouldPass(let budget, let delay):
            [("reason", "budget-would-pass"), ("budget_ms", milliseconds(budget)), ("delay_ms", milliseconds(delay))]
        case .quotaEmpty: [("reason", "quota-empty")]
        case .paceSlotPastBudget(let budget, let wait):
            [("reason", "pace-past-budget"), ("budget_ms", milliseconds(budget)), ("delay_ms", milliseconds(wait))]
        case .retryAfterPastBudget(let budget, let asked):
            [("reason", "retry-after-past-budget"), ("budget_ms", milliseconds(budget)), ("delay_ms", milliseconds(asked))]
        case .budgetSpentInHook(let budget): [("reason", "budget-spent-in-hook"), ("budget_ms", milliseconds(budget))]
        case .outputLost(let loss): [("reason", loss == .readerGone ? "reader-gone" : "output-lost")]
        }
    }

    private static func fields(_ attempt: RunEvent.Attempt) -> [(String, JSONValue)] {
        [("attempt", .integer(Int64(attempt.number))), ("max_attempts", attempt.limit.map { .integer(Int64($0)) } ?? .null)]
    }

    private static func detail(_ reason: RetryPolicy.Reason) -> String {
        switch reason {
        case .stopOn: "stop-on"
        case .notInRetryOn: "not-in-retry-on"
        case .cannotRun: "cannot-run"
        case .stopIfOutput: "stop-if-output"
        case .httpStatus: "http-status"
        }
    }

    private static func milliseconds(_ duration: Duration) -> JSONValue {
        .number((duration.seconds * 1e6).rounded() / 1e3)
    }

    /// `2026-11-24T03:12:05.123Z`.
    static func iso8601(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        let milliseconds = min(999, Int(((seconds - whole) * 1000).rounded(.down)))
        let stamp = Timestamp.utc(whole)
        return stamp.dropLast() + ".\(String(repeating: "0", count: milliseconds < 10 ? 2 : milliseconds < 100 ? 1 : 0))\(milliseconds)Z"
    }
}
