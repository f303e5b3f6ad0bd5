import Foundation
import Testing

/// Every status `retry` chooses for itself goes through `ExitStatus(for:)`;
/// only the command's own status (`Termination`) is built elsewhere.
@Suite struct ExitStatusChoiceTests {
    /// Ways of making a status without `ExitStatus(for:)`.
    static let choices = [#"ExitStatus\(rawValue:"#, #"\.killed\(by:"#, #"\bexit\(\s*[0-9(]"#, #"\bexit\([^)]*\+"#]
    /// Where a status may be made directly: the one place, and the command's own.
    static let allowed: Set = ["ExitStatus.swift", "Termination.swift"]

    static var sourceFiles: [URL] { CorePurityTests.swiftFiles(under: "Sources") }

    static func choosesAStatus(_ code: String) -> Bool {
        choices.contains { CorePurityTests.code(of: code).range(of: $0, options: .regularExpression) != nil }
    }

    @Test func onlyExitStatusChoosesRetrysStatuses() throws {
        let files = Self.sourceFiles
        #expect(files.count > 100)
        for file in files where !Self.allowed.contains(file.lastPathComponent) {
            #expect(!Self.choosesAStatus(try String(contentsOf: file, encoding: .utf8)), "\(file.lastPathComponent)")
        }
    }

    @Test func theCheckSeesAStatusChosenElsewhere() {
        for chosen in ["return .exit(ExitStatus(rawValue: 1))", "status = .killed(by: Signal.pipe)", "SignalRelay.exit(125)",
                       "exit(128 + signal)", "Glibc.exit(1)", "exit((1))"] {
            #expect(Self.choosesAStatus(chosen), "\(chosen)")
        }
        for fine in ["SignalRelay.exit(ExitStatus(for: .usage))", "Glibc.exit(status.rawValue)", "/// exits 128+N", "exitStatus(3)"] {
            #expect(!Self.choosesAStatus(fine), "\(fine)")
        }
    }
}
