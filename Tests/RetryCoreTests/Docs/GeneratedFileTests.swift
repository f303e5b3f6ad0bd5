@testable import RetryCore
import Testing

/// The generators built from the option table.
@Suite struct GeneratedFileTests {
    @Test func theManualHeadingNamesBothFormsAndTheValue() {
        let attempts = OptionSpec.all.first { $0.name == .attempts }!
        #expect(ManualOptionList.heading(attempts) == #"Fl n Ar N , Fl \-attempts Ar N"#)
        let breaker = OptionSpec.all.first { $0.name == .breaker }!
        #expect(ManualOptionList.heading(breaker) == #"Fl \-breaker Ar PATH | URL"#)
        let quiet = OptionSpec.all.first { $0.name == .quiet }!
        #expect(ManualOptionList.heading(quiet) == #"Fl q , Fl \-quiet"#)
    }

    @Test func theSpliceReplacesOnlyWhatIsBetweenTheMarkers() throws {
        let page = "before\n\(ManualOptionList.begin)\nstale\n\(ManualOptionList.end)\nafter\n"
        let spliced = try #require(ManualOptionList.splice(into: page))
        #expect(spliced.hasPrefix("before\n" + ManualOptionList.text))
        #expect(spliced.hasSuffix(ManualOptionList.end + "\nafter\n"))
        #expect(!spliced.contains("stale"))
        #expect(ManualOptionList.splice(into: "no markers\n") == nil)
    }

    @Test func everyOptionIsInEveryGeneratedFile() {
        for spec in OptionSpec.all {
            for file in GeneratedFile.allCases {
                let written = switch file {
                case .man: #"Fl \-"# + spec.long.replacingOccurrences(of: "-", with: #"\-"#)
                case .fish: " -l " + spec.long + " "
                case .bash, .zsh: "--" + spec.long
                }
                #expect(file.text.contains(written), "\(file) \(spec.long)")
            }
        }
    }

    @Test func anUnknownNameIsAUsageError() {
        #expect(throws: UsageError("--generate: 'troff': expected one of man, bash, zsh, fish")) {
            try GeneratedFile.output(for: "troff") { "" }
        }
    }

    @Test func shellQuotingSurvivesAQuote() {
        #expect(ShellQuote.single("attempt's") == #"'attempt'\''s'"#)
        #expect(ShellQuote.fish(#"a\b'c"#) == #"'a\\b\'c'"#)
    }
}
