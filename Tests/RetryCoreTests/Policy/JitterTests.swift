import Testing
@testable import RetryCore

@Suite struct JitterTests {
    @Test func appliesEachKindAtBothEnds() {
        #expect(Jitter.none.apply(to: 8, unit: 0) == 8)
        #expect(Jitter.none.apply(to: 8, unit: 0.99) == 8)
        #expect(Jitter.full.apply(to: 8, unit: 0) == 0)
        #expect(Jitter.full.apply(to: 8, unit: 1) == 8)
        #expect(Jitter.full.apply(to: 8, unit: 0.25) == 2)
        #expect(Jitter.equal.apply(to: 8, unit: 0) == 4)
        #expect(Jitter.equal.apply(to: 8, unit: 1) == 8)
        #expect(Jitter.proportional(0.25).apply(to: 8, unit: 0) == 6)
        #expect(Jitter.proportional(0.25).apply(to: 8, unit: 1) == 10)
        #expect(Jitter.proportional(0.25).apply(to: 8, unit: 0.5) == 8)
    }

    @Test func parsesNamesAndProportions() throws {
        #expect(try Jitter.parse("none") == .none)
        #expect(try Jitter.parse("full") == .full)
        #expect(try Jitter.parse("equal") == .equal)
        #expect(try Jitter.parse("20%") == .proportional(0.2))
        #expect(try Jitter.parse("100%") == .proportional(1))
        #expect(try Jitter.parse("12.5%").description == "12.5%")
    }

    @Test(arguments: ["", "Full", "20", "%", "-5%", "abc%", "1e2%", "random"])
    func refusesUnknownKinds(text: String) {
        #expect(throws: InvalidValue("expected none, full, equal or a proportion like 20%")) { try Jitter.parse(text) }
    }

    @Test func refusesProportionsAboveAHundredPercent() {
        #expect(throws: InvalidValue("a proportion is at most 100%")) { try Jitter.parse("101%") }
    }

    @Test func unitRandomStaysInHalfOpenRange() {
        var low = ConstantGenerator(value: 0)
        var high = ConstantGenerator(value: .max)
        #expect(low.nextUnit() == 0)
        #expect(high.nextUnit() < 1)
        #expect(high.nextUnit() > 0.9999999)
    }

    @Test func splitMix64MatchesTheReferenceOutput() {
        // First outputs of the reference C implementation for seed 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }
}
