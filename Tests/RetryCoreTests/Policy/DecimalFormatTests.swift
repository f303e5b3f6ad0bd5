import Foundation
import Testing
@testable import RetryCore

/// `DecimalFormat` renders what `String(format: "%.6f")` did, without the C
/// library: the same text for every value, ties and huge values included.
@Suite struct DecimalFormatTests {
    static let edges: [Double] = [
        0, -0.0, 1, 2, 1.5, 0.1, 1.0 / 3, 2.0 / 3, 100, 20, 0.25, 123456.7890125,
        // Exact ties at the sixth decimal round half to even.
        0.0078125, 0.0234375, 1.0000005, 0.0000005, 0.0000015, 0.0000025, 0.9999995, 0.99999949999,
        1e-7, 4e-7, 5e-7, 6e-7, 1e15 + 0.3, 9007199254740993, 1e22, 1e300, .greatestFiniteMagnitude,
        .leastNonzeroMagnitude, .leastNormalMagnitude, -1.5, -1e-9, .infinity, -.infinity, .nan,
    ]

    @Test(arguments: edges)
    func edgeValuesMatchPrintf(_ value: Double) {
        #expect(DecimalFormat.fixed(value, decimals: 6) == String(format: "%.6f", value))
    }

    @Test func randomValuesOfEveryScaleMatchPrintf() {
        var random = SplitMix64(seed: 22)
        for _ in 0..<3000 {
            // Magnitudes from 2^-40 to 2^80, every bit of the significand random.
            let exponent = Int(random.next() % 120) - 40
            let value = Double(sign: .plus, exponent: exponent, significand: 1 + random.nextUnit())
            #expect(DecimalFormat.fixed(value, decimals: 6) == String(format: "%.6f", value), "\(value)")
        }
    }

    @Test func otherPrecisionsMatchPrintf() {
        for value in [0.5, 1.5, 2.5, 0.125, 1.0 / 3, 1234.5678, 0.0] {
            for decimals in [0, 1, 2, 3] {
                #expect(DecimalFormat.fixed(value, decimals: decimals) == String(format: "%.\(decimals)f", value))
            }
        }
    }

    @Test func trimmedDropsTrailingZeros() {
        #expect(DecimalFormat.trimmed(2) == "2")
        #expect(DecimalFormat.trimmed(1.5) == "1.5")
        #expect(DecimalFormat.trimmed(1.0 / 3) == "0.333333")
        #expect(DecimalFormat.trimmed(0.0000001) == "0")
        #expect(DecimalFormat.trimmed(100) == "100")
    }
}
