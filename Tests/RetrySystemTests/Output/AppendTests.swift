import Foundation
import Testing
@testable import RetryCore
@testable import RetrySystem

/// Appending to GitHub Actions' step summary and outputs.
@Suite final class AppendTests {
    private let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory("append")
    }

    @Test func appendsAfterWhatIsThere() throws {
        let path = scratch.path + "/summary.md"
        try "earlier\n".write(toFile: path, atomically: false, encoding: .utf8)
        try Output.append("a=1\n", toFile: path)
        try Output.append("b=2\n", toFile: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "earlier\na=1\nb=2\n")
    }

    @Test func neverCreatesTheFile() throws {
        let path = scratch.path + "/missing"
        #expect(throws: Errno.noSuchFile) { try Output.append("x\n", toFile: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aDirectoryIsRefused() throws {
        #expect(throws: Errno(EISDIR)) { try Output.append("x\n", toFile: self.scratch.path) }
    }
}
