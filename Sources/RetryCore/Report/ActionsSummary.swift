/// The run as GitHub Actions shows it: a Markdown table of the attempts for
/// the step summary (`$GITHUB_STEP_SUMMARY`) and `attempts=`,
/// `exit_status=` and `reason=` for the step's outputs (`$GITHUB_OUTPUT`).
/// It is fed the run's events, as a reporter is, and only formats; the
/// files are appended to by the system layer.
package final class ActionsSummary {
    /// One attempt, as the table shows it.
    package struct Row: Equatable, Sendable {
        package let attempt: Int
        package let status: ExitStatus
        package let duration: Duration
        /// `success`, or why it failed in `RETRY_REASON`'s words.
        package let reason: String
    }

    package private(set) var rows: [Row] = []
    /// Why the run ended: `success`, a `RETRY_REASON`, or `interrupted`.
    package private(set) var reason = "unknown"
    private let clock: any MonotonicClock
    private let command: [String]
    private var current: (number: Int, started: Duration)?

    package init(command: [String], clock: any MonotonicClock) {
        self.command = command
        self.clock = clock
    }

    /// Whether the environment is a GitHub Actions runner's.
    package static func isActive(environment: [String: String]) -> Bool {
        environment["GITHUB_ACTIONS"] == "true"
    }

    package func record(_ event: RunEvent) {
        switch event {
        case .attemptStarted(let attempt):
            current = (attempt.number, clock.now())
        case .attemptFailed(let attempt, let outcome, let elapsed, _, _):
            add(attempt.number, outcome.status, elapsed, HookContext.Reason(outcome).rawValue)
        case .succeeded(let attempt, let elapsed):
            add(attempt.number, .success, elapsed, "success")
        case .launchFailed(let attempt, let failure):
            add(attempt.number, failure.status, sinceStart, HookContext.Reason.exit.rawValue)
        case .gaveUp(.budgetSpent, let attempts, let status):
            add(attempts, status, sinceStart, HookContext.Reason.budget.rawValue)
        case .gaveUp(.budgetSpentInHook, _, _), .gaveUp(.budgetWouldPass, _, _), .gaveUp(.retryAfterPastBudget, _, _),
             .gaveUp(.paceSlotPastBudget, _, _):
            reason = HookContext.Reason.budget.rawValue
        case .gaveUp(.quotaEmpty, _, _):
            reason = HookContext.Reason.quota.rawValue
        case .breakerOpen:
            reason = HookContext.Reason.breaker.rawValue
        case .interrupted(let signal, true):
            add(current?.number ?? 0, ExitStatus(for: .signal(signal)), sinceStart, "interrupted")
            reason = "interrupted"
        case .interrupted, .interruptedDuringHook:
            reason = "interrupted"
        default:
            break
        }
    }

    private var sinceStart: Duration { current.map { clock.now() - $0.started } ?? .zero }

    private func add(_ attempt: Int, _ status: ExitStatus, _ duration: Duration, _ why: String) {
        rows.append(Row(attempt: attempt, status: status, duration: duration, reason: why))
        reason = why
    }

    /// The Markdown appended to the step summary.
    package func markdown(_ result: RunResult) -> String {
        var lines = ["### retry: " + Self.codeSpan(ShellWords.quoted(command)), ""]
        lines.append("| Attempt | Status | Duration | Reason |")
        lines.append("|---:|---:|---:|---|")
        for row in rows {
            lines.append("| \(row.attempt) | \(row.status) | \(DurationText.format(row.duration)) | \(row.reason) |")
        }
        let count = rows.count
        lines.append("")
        lines.append("Exit status \(result.status) after \(count) attempt\(count == 1 ? "" : "s") (\(reason)).")
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// `text` as Markdown inline code, whole: fenced by more backquotes
    /// than it holds in a row, and cut at 300 characters. `ShellWords` has
    /// left no line break in it to end the heading.
    static func codeSpan(_ text: String) -> String {
        let shown = text.count > 300 ? String(text.prefix(300)) + "…" : text
        var longest = 0, run = 0
        for character in shown {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = shown.hasPrefix("`") || shown.hasSuffix("`") ? " " : ""
        return fence + pad + shown + pad + fence
    }

    /// The lines appended to the step's outputs.
    package func outputs(_ result: RunResult) -> String {
        "attempts=\(rows.count)\nexit_status=\(result.status)\nreason=\(reason)\n"
    }
}
