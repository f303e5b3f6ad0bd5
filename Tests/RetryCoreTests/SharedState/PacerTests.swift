import Testing
@testable import RetryCore

/// The fleet pacer's pure steps (GCRA with a hold), in store seconds.
@Suite struct PacerTests {
    let fivePerSecond = Pacer(rate: PaceRate(count: 5, period: 1))

    @Test func runsAskingTogetherGetSlotsOneIntervalApart() {
        var state = PaceState()
        let slots = (0..<4).map { _ in fivePerSecond.take(&state, now: 100) }
        #expect(slots.map(\.milliseconds) == [100_000, 100_200, 100_400, 100_600])
        #expect(slots.allSatisfy { $0.isTaken })
        #expect(state.slots == 4)
    }

    @Test func anIdlePacerGivesTheSlotAtOnce() {
        var state = PaceState()
        _ = fivePerSecond.take(&state, now: 100)
        // Long after the last slot: now, not a backlog of slots.
        #expect(fivePerSecond.take(&state, now: 200) == .at(200))
        #expect((state.nextSlot * 1000).rounded() == 200_200)
    }

    @Test func aSlotPastTheLimitIsRefusedAndLeftFree() {
        var state = PaceState()
        for _ in 0..<5 { _ = fivePerSecond.take(&state, now: 100) }
        let before = state
        let refused = fivePerSecond.take(&state, now: 100, latest: 100.5)
        #expect(refused.milliseconds == 101_000 && !refused.isTaken)
        #expect(state == before)
        let taken = fivePerSecond.take(&state, now: 100, latest: 101.001)
        #expect(taken.milliseconds == 101_000 && taken.isTaken)
    }

    @Test func aHoldPushesTheNextSlotAndRunsLeaveOneIntervalApartFromIt() {
        var state = PaceState()
        _ = fivePerSecond.take(&state, now: 100)
        fivePerSecond.hold(&state, now: 100, delay: 5)
        #expect(state.hold == 105 && state.nextSlot == 105)
        #expect(fivePerSecond.take(&state, now: 101) == .at(105))
        #expect(fivePerSecond.take(&state, now: 101).milliseconds == 105_200)
        // A shorter hold does not shorten it.
        fivePerSecond.hold(&state, now: 101, delay: 1)
        #expect(state.hold == 105)
    }

    @Test func withoutARateOnlyTheHoldSpacesRuns() {
        let unpaced = Pacer()
        var state = PaceState()
        #expect(unpaced.take(&state, now: 10) == .at(10))
        #expect(unpaced.take(&state, now: 10) == .at(10))
        state.learnedRate = 4
        #expect(unpaced.take(&state, now: 10) == .at(10))
        #expect(unpaced.take(&state, now: 10) == .at(10.25))
    }

    @Test func ratesParseAndPrintBack() throws {
        #expect(try PaceRate.parse("5/s") == PaceRate(count: 5, period: 1))
        #expect(try PaceRate.parse("300/m").interval == 0.2)
        #expect(try PaceRate.parse("5000/h").interval == 0.72)
        #expect(try PaceRate.parse("5000/h").description == "5000/h")
        for bad in ["5", "5/d", "0/s", "-1/s", "/s", "5/", "1.5/s", "2000000/s"] {
            #expect(throws: InvalidValue.self, "\(bad)") { try PaceRate.parse(bad) }
        }
    }

    @Test func theStateRecordRoundTripsAndRefusesNonsense() throws {
        var state = PaceState()
        state.nextSlot = 1_795_579_925.12
        state.hold = 1_795_579_930
        state.learnedRate = 3.5
        state.slots = 42
        #expect(try PaceState.decode(state.encoded()) == state)
        #expect(state.encoded().hasPrefix("retry-pace 1\nnext-slot 1795579925.120\nhold 1795579930.000\nrate 3.500\n"))
        #expect(throws: InvalidValue.self) { try PaceState.decode("retry-pace 1\nnext-slot -5\nhold 0\nrate 0\nrate-cut-at 0\nslots 0\n") }
        #expect(throws: InvalidValue.self) { try PaceState.decode("retry-pace 1\nnext-slot 0\n") }
    }
}

extension Pacer.Slot {
    var isTaken: Bool { if case .at = self { true } else { false } }

    /// The slot's moment in whole milliseconds, as the stores keep it.
    var milliseconds: Double {
        switch self {
        case .at(let moment), .pastLimit(let moment): (moment * 1000).rounded()
        }
    }
}
