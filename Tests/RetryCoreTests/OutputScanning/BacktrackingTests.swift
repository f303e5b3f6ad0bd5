import Foundation
import Testing
@testable import RetryCore

@Suite struct BacktrackingTests {
    @Test(arguments: ["(x+x+)+y", "(a*)*", #"(\w+\s?)+$"#, "(a|aa)+b", "((ab)+c)*", "(a+){2,}", "(a.*){5}"])
    func nestedUnboundedRepetitionIsRisky(pattern: String) {
        #expect(Backtracking.isRisky(pattern))
    }

    @Test(arguments: ["err(or)?[0-9]+", "(ab)+", "[(+]+x", #"\(a+\)+"#, "(a+)?", "(a|b)", "a{2}(b+)", "(a+){1}", "^(GET|POST) /"])
    func flatPatternsAreNot(pattern: String) {
        #expect(!Backtracking.isRisky(pattern))
    }

    @Test func aRiskyPatternOnAPathologicalLineIsAbandonedAndAFlatOneStillMatches() throws {
        let line = Array((String(repeating: "x", count: 60) + "\n").utf8)
        let risky = try OutputPattern.compile("(x+x+)+y")
        #expect(line.withUnsafeBytes { risky.matches($0) } == nil)
        let flat = try OutputPattern.compile("x{60}")
        #expect(line.withUnsafeBytes { flat.matches($0) } == true)
        let guardedMatch = try OutputPattern.compile("(x+)+$")
        #expect(line.withUnsafeBytes { guardedMatch.matches($0) } == true, "a risky pattern that matches at once still matches")
    }
}
