import Foundation
import Testing
@testable import RetryCore

@Suite struct ProcessEnvironmentTests {
    @Test func readsWhatFoundationReads() {
        // The test runner's environment has no repeated names, where the two
        // may differ (getenv's first against Foundation's last).
        #expect(ProcessEnvironment.current() == ProcessInfo.processInfo.environment)
    }

    @Test func aValueMayHoldEqualsSigns() throws {
        setenv("RETRY_TEST_EQUALS", "a=b==c", 1)
        defer { unsetenv("RETRY_TEST_EQUALS") }
        #expect(ProcessEnvironment.current()["RETRY_TEST_EQUALS"] == "a=b==c")
    }
}
