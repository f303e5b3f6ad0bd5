import Testing
@testable import RetryCore

/// The byte search that stands in for `memchr`: every offset and length
/// around its 16- and 64-byte blocks, against a plain loop.
@Suite struct LiteralSearchTests {
    @Test func firstByteMatchesAPlainSearchAtEveryOffset() {
        var random = SplitMix64(seed: 4)
        for _ in 0..<300 {
            let count = Int(random.next() % 200)
            // Bytes from a small alphabet, so that hits are common and rare.
            let alphabet = UInt64(2 + random.next() % 60)
            let bytes = (0..<count).map { _ in UInt8(97 + random.next() % alphabet) }
            let from = count == 0 ? 0 : Int(random.next() % UInt64(count + 1))
            let end = from + Int(random.next() % UInt64(count - from + 1))
            bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                for byte in [UInt8(97), 98, 120, 10] {
                    let expected = bytes[from..<end].firstIndex(of: byte)
                    #expect(LiteralSearch.first(byte, base, from: from, to: end) == expected)
                }
            }
        }
    }

    @Test func newlinesAreFoundPastTheFirstBlocks() {
        var bytes = [UInt8](repeating: 65, count: 300)
        for place in [0, 15, 16, 63, 64, 65, 130, 299] {
            bytes[place] = 10
            bytes.withUnsafeBytes { buffer in
                #expect(LiteralSearch.firstNewline(buffer.baseAddress!, from: 0, to: 300) == place)
                #expect(LiteralSearch.firstNewline(buffer.baseAddress!, from: 0, to: place) == nil)
            }
            bytes[place] = 65
        }
    }
}
