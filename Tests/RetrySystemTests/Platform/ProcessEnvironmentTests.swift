import Foundation
import Testing
@testable import RetryCore
@testable import RetrySystem

@Suite struct ProcessEnvironmentTests {
    @Test func readsWhatFoundationReads() {
        // The test runner's environment has no repeated names, where the two
        // may differ (getenv's first against Foundation's last).
        #expect(ProcessEnvironment.current() == ProcessInfo.processInfo.environment)
    }

    @Test func splitsAtTheFirstEqualsSignAndTheFirstOfARepeatedNameWins() {
        let variables = ProcessEnvironment.variables(from: ["A=b==c", "EMPTY=", "NOEQUALS", "A=second", "=x"])
        #expect(variables == ["A": "b==c", "EMPTY": "", "": "x"])
        #expect(ProcessEnvironment.variables(from: ["N=gr\u{FC}\u{DF}e \u{1F600}", "\u{E9}=1"]) == ["N": "gr\u{FC}\u{DF}e \u{1F600}", "\u{E9}": "1"])
    }
}
