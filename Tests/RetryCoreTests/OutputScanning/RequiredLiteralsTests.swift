import Foundation
import Testing
@testable import RetryCore

@Suite struct RequiredLiteralsTests {
    func literals(_ pattern: String) -> [String]? {
        RequiredLiterals.extract(from: pattern)?.literals.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func eachAlternativeGivesItsLongestRequiredRun() {
        #expect(literals("try again|busy") == ["try again", "busy"])
        #expect(literals("(?i)error [0-9]+") == ["error "])
        #expect(RequiredLiterals.extract(from: "(?i)ERROR [0-9]+")?.caseInsensitive == true)
        #expect(literals("colou?r") == ["colo"], "an optional character is left out")
        #expect(literals("ab+cde") == ["cde"], "a repeated character ends the run: abbcde holds ab, not abc")
        #expect(literals("ab{2,}c") == ["ab"])
        #expect(literals("x{0,3}yz") == ["yz"])
        #expect(literals("^status: (?:x)") == nil)
        #expect(literals("\\d+ms\\b") == ["ms"])
        #expect(literals("a\\.b\\[c") == ["a.b[c"], "escaped punctuation is itself")
        #expect(literals("[x]yz|[^]]q") == nil, "a ] first in a class is not guessed at")
        #expect(literals("[a-z&&[^q]]yz.w") == ["yz"])
        #expect(literals("^HTTP/1.1 503$") == ["HTTP/1"])
    }

    @Test func whatIsNotUnderstoodGivesNoPrefilter() {
        for pattern in ["(a|b)c", "abc|.*", "abc|", "(.)\\1", "(?=x)abc", "(?<!x)abc", "(?m)abc", "abc(?i)d", "a\\Qb|c\\E",
                        "\\x41bc", "\\p{L}abc", "\\tabc", "caf\u{E9}", "x*", "[abc]+", "a\\", "a{,3}b",
                        (1...17).map { "w\($0)" }.joined(separator: "|")] {
            #expect(RequiredLiterals.extract(from: pattern) == nil, "\(pattern)")
        }
    }

    @Test func theBenchPatternsUseThePrefilter() throws {
        #expect(try OutputPattern.compile("try again|busy").required != nil)
        #expect(try OutputPattern.compile("(?i)error [0-9]+").required != nil)
        #expect(try OutputPattern.compile("(a|b)c").required == nil)
    }

    /// The reference: the regex on every line of the text.
    func everyLine(_ pattern: String, _ text: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        return text.split(separator: "\n").contains { line in
            let string = String(line)
            return regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
        }
    }

    func matches(_ pattern: OutputPattern, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { pattern.matches($0) == true }
    }

    @Test func thePrefilterAgreesWithTheRegexOnEveryLine() throws {
        let patterns = ["try again|busy", "(?i)error [0-9]+", "(?i)kill|sun", "colou?r\\b", "^ab+c$", "x\\d+y|ERR"]
        let pieces = ["try", " again", "try again", "busy", "BUSY", "error", "ERROR", "Error", " 42", " x", "\n", "\n", "kill",
                      "\u{212A}ILL", "\u{17F}un", "colour", "color", "colouur", "abbbc", "ab", "c", "x12y", "ERR", "\u{E9}", "\r", "\u{1}"]
        var random = SplitMix64(seed: 18)
        for pattern in patterns {
            let compiled = try OutputPattern.compile(pattern)
            #expect(compiled.required != nil, "\(pattern)")
            for _ in 0..<300 {
                let text = (0..<Int.random(in: 1...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
                #expect(matches(compiled, text) == (try everyLine(pattern, text)), "\(pattern) on \(text.debugDescription)")
            }
        }
    }

    @Test func caseInsensitiveLiteralsMatchInAnyCaseAndNonASCIILinesAreTried() throws {
        let pattern = try OutputPattern.compile("(?i)error [0-9]+")
        #expect(matches(pattern, "ok\nfatal: ErRoR 42 here\n"))
        #expect(!matches(pattern, "error: none\nerror x\nERRORS 1\n"), "the literal stands only in lines that do not match")
        let kelvin = try OutputPattern.compile("(?i)kill")
        #expect(try everyLine("(?i)kill", "ok\n\u{212A}ILL\n"), "ICU folds the Kelvin sign to k")
        #expect(matches(kelvin, "ok\n\u{212A}ILL\n"), "so a non-ASCII line goes to the regex")
        #expect(matches(try OutputPattern.compile("(?i)sun"), "\u{17F}UN"))
    }

    @Test func aMatchNeverSpansALineBreak() throws {
        let pattern = try OutputPattern.compile("try again|busy")
        #expect(!matches(pattern, "try\nagain\nbu\nsy"))
        #expect(matches(pattern, "first\nplease try again later\nlast"))
        #expect(matches(pattern, "no newline at the end: busy"))
        #expect(matches(pattern, "busy"))
    }

    @Test func aLiteralIsFoundAtEveryOffsetOfTheSearchRounds() throws {
        // The search takes 64 bytes a round, then one at a time: a literal
        // straddling either kind of boundary must be found, in any case.
        let insensitive = try OutputPattern.compile("(?i)try again|busy")
        let sensitive = try OutputPattern.compile("try again|busy")
        for offset in 0..<140 {
            let filler = String(repeating: "o", count: offset)
            #expect(matches(insensitive, filler + "Try AGAIN" + filler), "offset \(offset)")
            #expect(matches(sensitive, "x\n" + filler + "busy"), "offset \(offset)")
            #expect(!matches(sensitive, filler + "Try AGAIN" + filler + "\nbus\ny"), "offset \(offset)")
        }
    }
}
