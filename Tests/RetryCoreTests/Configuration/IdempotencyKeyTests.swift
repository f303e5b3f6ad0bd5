import Testing
@testable import RetryCore

@Suite struct IdempotencyKeyTests {
    @Test func generatesVersion4UUIDs() {
        var random = SplitMix64(seed: 11)
        let keys = (0..<100).map { _ in IdempotencyKey.generate(using: &random) }
        for key in keys {
            let groups = key.split(separator: "-")
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(key.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(groups[2].first == "4")
            #expect("89ab".contains(groups[3].first!))
        }
        #expect(Set(keys).count == keys.count)
    }

    @Test func theSameGeneratorStateGivesTheSameKey() {
        var first = SplitMix64(seed: 5), second = SplitMix64(seed: 5)
        #expect(IdempotencyKey.generate(using: &first) == IdempotencyKey.generate(using: &second))
    }

    /// Gives known words and counts the draws.
    struct Words: RandomNumberGenerator {
        var words: [UInt64]
        var draws = 0
        mutating func next() -> UInt64 {
            defer { draws += 1 }
            return words[draws]
        }
    }

    @Test func sixteenBytesComeFromTwoDrawsInByteOrder() {
        var words = Words(words: [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210])
        #expect(IdempotencyKey.generate(using: &words) == "efcdab89-6745-4301-9032-547698badcfe")
        #expect(words.draws == 2, "each draw from the system generator is a system call")
    }
}
