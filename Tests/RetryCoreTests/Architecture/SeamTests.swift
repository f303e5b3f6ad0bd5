import Foundation
import Testing

/// The seams between the core and the system have no defaults: a new
/// implementation (a store, a launcher, a fake) must say what each member
/// does, or it does not compile.
@Suite struct SeamTests {
    /// The protocols whose every member each implementation writes.
    static let seams = ["RunMemory", "ProcessStarter", "GroupSignaller", "JobControl", "OutputDelivery", "InputReplay",
                        "PaceStore", "EventSource", "MonotonicClock", "WallClock"]

    /// The seams that `code` extends (where a default would go).
    static func extendedSeams(_ code: String) -> [String] {
        seams.filter { code.range(of: #"(?m)^\s*(\w+\s+)*extension\s+"# + $0 + #"\b"#, options: .regularExpression) != nil }
    }

    @Test func noSeamHasADefault() throws {
        for file in ExitStatusChoiceTests.sourceFiles {
            let code = CorePurityTests.code(of: try String(contentsOf: file, encoding: .utf8))
            #expect(Self.extendedSeams(code).isEmpty, "\(file.lastPathComponent) extends \(Self.extendedSeams(code))")
        }
    }

    @Test func theCheckSeesAnExtension() {
        #expect(Self.extendedSeams("extension RunMemory {\n    func sharedWait() -> SharedWait? { nil }\n}") == ["RunMemory"])
        #expect(Self.extendedSeams("package extension RunMemory where Self: AnyObject {}") == ["RunMemory"])
        #expect(Self.extendedSeams("extension RunMemoryTests {}\n/// extension RunMemory") == [])
    }
}
