import Foundation
import Testing
@testable import RetryCore

/// `Backoff.power` stands in for the C library's `pow`, `exp` and `log`:
/// the same growth, to rounding, and an answer at once for any count.
@Suite struct BackoffPowerTests {
    @Test func exactPowersAreExact() {
        for k in 0...60 { #expect(Backoff.power(2, k, below: .infinity) == Double(sign: .plus, exponent: k, significand: 1)) }
        var three = 1.0
        for k in 0...33 {
            #expect(Backoff.power(3, k, below: .infinity) == three)
            three *= 3
        }
        #expect(Backoff.power(1.5, 3, below: 100) == 3.375)
        #expect(Backoff.power(7, 0, below: 2) == 1)
    }

    @Test func otherPowersAgreeWithPowToRounding() {
        for x in [1.1, 1.5, 1.7, 2.3, 0.5, 0.9, 10, 1.0000001] {
            for k in 0...200 {
                let expected = pow(x, Double(k))
                guard expected.isFinite, expected > 1e-300 else { continue }
                let got = Backoff.power(x, k, below: .infinity)
                // Squaring doubles a relative error: within k roundings.
                #expect(got.map { abs($0 - expected) <= Double(max(k, 1)) * 2.3e-16 * expected } == true, "\(x)^\(k): \(String(describing: got)) vs \(expected)")
            }
        }
    }

    @Test func itStopsAtTheLimit() {
        #expect(Backoff.power(2, 6, below: 64) == nil)
        #expect(Backoff.power(2, 5, below: 64) == 32)
        // A billion failures, a multiplier barely above 1: still at once.
        #expect(Backoff.power(1.0000001, 1_000_000_000, below: 60) == nil)
        #expect(Backoff.power(1, Int.max, below: 2) == 1)
        #expect(Backoff.power(0.5, 1_000_000_000, below: 2) == 0)
        #expect(Backoff.power(0, 3, below: 2) == 0)
    }
}
