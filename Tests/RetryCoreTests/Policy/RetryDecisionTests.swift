import Testing
@testable import RetryCore

/// The pure step after each attempt: retry after a delay, or stop and why.
@Suite struct RetryDecisionTests {
    static let wallNow = 1_795_579_925.0

    func decide(_ words: String..., attempt: Int = 1, ending outcome: AttemptOutcome, retryAfter: String? = nil,
                now: Duration = .seconds(10), budgetEnd: Duration? = nil) throws -> RetryDecision {
        let configuration = try parsedConfiguration(words + ["cmd"])
        var previous: Duration?
        var random = ConstantGenerator(value: 0)
        return RetryDecision.after(attempt: attempt, outcome, retryAfter: retryAfter, configuration: configuration,
                                   previousDelay: &previous, now: now, budgetEnd: budgetEnd, wallNow: Self.wallNow,
                                   random: &random)
    }

    static let failed = AttemptOutcome.terminated(.exited(1))
    static let http503 = AttemptOutcome.flagged(.exited(0), .http(503))

    @Test func successEndsTheRunWithItsStatus() throws {
        #expect(try decide(ending: .terminated(.exited(0))).next == .succeed(.success))
    }

    @Test func aPermanentFailureStopsWithItsReason() throws {
        #expect(try decide("--stop-on", "1", ending: Self.failed).next == .stop(ExitStatus(rawValue: 1), .notRetryable(.stopOn)))
        #expect(try decide(ending: .terminated(.exited(127))).next == .stop(.notFound, .notRetryable(.cannotRun)))
    }

    @Test func theLastAttemptStopsWhateverTheOutcome() throws {
        #expect(try decide("-n", "3", attempt: 3, ending: Self.failed).next == .stop(ExitStatus(rawValue: 1), .attemptsExhausted))
        #expect(try decide("-n", "3", "-j", "none", attempt: 2, ending: Self.failed).next == .retry(after: .seconds(2)))
    }

    @Test func aRetryWaitsTheBackoffsDelay() throws {
        #expect(try decide("-b", "250ms", "-j", "none", ending: Self.failed).next == .retry(after: .milliseconds(250)))
    }

    @Test func aDelayThatWouldPassTheBudgetStopsNow() throws {
        let decision = try decide("-b", "5s", "-j", "none", "--budget", "1m", ending: Self.failed,
                                  now: .seconds(10), budgetEnd: .seconds(14))
        #expect(decision.next == .stop(ExitStatus(rawValue: 1), .budgetWouldPass(.seconds(60), delay: .seconds(5))))
    }

    func decide(_ words: [String], unit: UInt64, retryAfter: String, now: Duration = .seconds(10),
                budgetEnd: Duration? = nil) throws -> RetryDecision {
        let configuration = try parsedConfiguration(words + ["cmd"])
        var previous: Duration?
        var random = ConstantGenerator(value: unit)
        return RetryDecision.after(attempt: 1, Self.http503, retryAfter: retryAfter, configuration: configuration,
                                   previousDelay: &previous, now: now, budgetEnd: budgetEnd, wallNow: Self.wallNow,
                                   random: &random)
    }

    @Test func retryAfterIsAFloorWithASpreadUpToItself() throws {
        let least = try decide(["--http", "-j", "none"], unit: 0, retryAfter: "120")
        #expect(least.next == .retry(after: .seconds(120), because: .retryAfter))
        #expect(least.notes == [.retryAfter(asked: .seconds(120), waiting: .seconds(120))])
        // The top of the draw: just under twice the floor.
        let most = try decide(["--http", "-j", "none"], unit: .max, retryAfter: "120")
        guard case .retry(let delay, .retryAfter) = most.next else { Issue.record("\(most.next)"); return }
        #expect(delay > .seconds(239.99) && delay <= .seconds(240))
        // Half way: the floor plus half of it.
        let half = try decide(["--http"], unit: 1 << 63, retryAfter: "10")
        #expect(half.next == .retry(after: .seconds(15), because: .retryAfter))
        #expect(half.notes == [.retryAfter(asked: .seconds(10), waiting: .seconds(15))])
    }

    @Test func maxRetryAfterCapsTheFloorAndTheSpread() throws {
        let capped = try decide(["--http", "--max-retry-after", "30s"], unit: 0, retryAfter: "120")
        #expect(capped.next == .retry(after: .seconds(30), because: .retryAfter))
        let spreadCapped = try decide(["--http", "--max-retry-after", "150s"], unit: .max, retryAfter: "120")
        #expect(spreadCapped.next == .retry(after: .seconds(150), because: .retryAfter))
    }

    @Test func theSpreadStaysWithinTheBudgetWhenTheFloorFits() throws {
        // 10 s of budget left, a floor of 8 s: the spread is drawn in 0..<2 s.
        let decision = try decide(["--http", "--budget", "1m"], unit: 1 << 63, retryAfter: "8", now: .seconds(60),
                                  budgetEnd: .seconds(70))
        #expect(decision.next == .retry(after: .seconds(9), because: .retryAfter))
    }

    @Test func aSeedReproducesTheSpread() throws {
        let configuration = try parsedConfiguration("--http", "--seed", "7", "cmd")
        func draw() -> RetryDecision.Next {
            var previous: Duration?
            var random = SplitMix64(seed: 7)
            return RetryDecision.after(attempt: 1, Self.http503, retryAfter: "4", configuration: configuration,
                                       previousDelay: &previous, now: .zero, budgetEnd: nil, wallNow: Self.wallNow,
                                       random: &random).next
        }
        #expect(draw() == draw())
        guard case .retry(let delay, .retryAfter) = draw() else { Issue.record("not a retry"); return }
        #expect(delay >= .seconds(4) && delay < .seconds(8))
    }

    @Test func retryAfterPastTheBudgetStopsWithThatReason() throws {
        let decision = try decide("--http", "--budget", "1m", ending: Self.http503, retryAfter: "600", budgetEnd: .seconds(70))
        #expect(decision.next == .stop(ExitStatus(rawValue: 1), .retryAfterPastBudget(.seconds(60), asked: .seconds(600))))
    }

    @Test func aMalformedRetryAfterIsNotedAndIgnored() throws {
        let decision = try decide("--http", "-b", "1s", "-j", "none", ending: Self.http503, retryAfter: "soon")
        #expect(decision.next == .retry(after: .seconds(1)))
        #expect(decision.notes == [.note("ignoring the malformed Retry-After 'soon'")])
    }

    @Test func retryAfterOnlyCountsWhenAnHTTPStatusDecided() throws {
        let decision = try decide("--http", "-b", "1s", "-j", "none", ending: Self.failed, retryAfter: "120")
        #expect(decision.next == .retry(after: .seconds(1)))
        #expect(decision.notes.isEmpty)
    }
}

/// A server's Retry-After shared through the breaker, applied to a decision.
@Suite struct RetryDecisionSharedWaitTests {
    static let shared = SharedWait(delay: .seconds(6), until: 1_800_000_006, store: "b")
    static let status = ExitStatus(rawValue: 1)

    @Test func aLongerSharedWaitReplacesTheRetrysDelay() {
        let decision = RetryDecision(next: .retry(after: .seconds(1)), notes: [])
        let waiting = decision.waiting(for: Self.shared, status: Self.status, now: .zero, budgetEnd: nil, budget: .zero, unit: 0)
        #expect(waiting.next == .retry(after: .seconds(6), because: .sharedRetryAfter))
        #expect(waiting.notes == [.note(SharedStateWording.sharedWait(Self.shared, waiting: .seconds(6)))])
    }

    @Test func theRunsHeldBackWakeSpreadNotAllAtTheSharedMoment() {
        let decision = RetryDecision(next: .retry(after: .seconds(1)), notes: [])
        let wakes = [0.0, 0.25, 0.5, 0.75].map { unit in
            decision.waiting(for: Self.shared, status: Self.status, now: .zero, budgetEnd: nil, budget: .zero, unit: unit).next
        }
        #expect(wakes == [6, 7.5, 9, 10.5].map { .retry(after: .seconds($0), because: .sharedRetryAfter) })
        let spread = decision.waiting(for: Self.shared, status: Self.status, now: .zero, budgetEnd: nil, budget: .zero, unit: 0.5)
        #expect(spread.notes == [.note("waiting 9s for a server's Retry-After shared through the breaker in b (until 2027-01-15T08:00:06Z, plus a random spread)")])
        // Within the budget: 8 s left after the shared moment's 6 s... 2 s of spread at most.
        let bounded = decision.waiting(for: Self.shared, status: Self.status, now: .zero, budgetEnd: .seconds(8), budget: .seconds(8), unit: 0.5)
        #expect(bounded.next == .retry(after: .seconds(7), because: .sharedRetryAfter))
    }

    @Test func aSharedWaitThatReachesTheBudgetStopsTheRun() {
        let decision = RetryDecision(next: .retry(after: .seconds(1)), notes: [])
        let waiting = decision.waiting(for: Self.shared, status: Self.status, now: .seconds(4), budgetEnd: .seconds(10), budget: .seconds(10), unit: 0.5)
        #expect(waiting.next == .stop(Self.status, .budgetWouldPass(.seconds(10), delay: .seconds(6))))
    }

    @Test func aShorterSharedWaitOrAnEndIsLeftAlone() {
        let longer = RetryDecision(next: .retry(after: .seconds(9)), notes: [])
        #expect(longer.waiting(for: Self.shared, status: Self.status, now: .zero, budgetEnd: nil, budget: .zero, unit: 0.5) == longer)
        let success = RetryDecision(next: .succeed(.success), notes: [])
        #expect(success.waiting(for: Self.shared, status: Self.status, now: .zero, budgetEnd: nil, budget: .zero, unit: 0.5) == success)
    }
}
