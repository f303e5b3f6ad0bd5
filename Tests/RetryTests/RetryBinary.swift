import Foundation
import XCTest

/// Runs the built `retry` executable and collects what it did.
struct RetryBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stderr split into lines, without the empty last one.
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    /// `retry` sits beside the test bundle in the build products directory.
    static let path: String = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("retry").path
    }()

    /// Runs `retry` with `arguments`, feeding `input` to its stdin.
    @discardableResult
    static func run(_ arguments: [String], input: String = "", environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Read both pipes at once so neither can fill up and stall the child.
        let collected = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        DispatchQueue.global().async(group: collected) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        collected.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    static func run(_ arguments: String...) throws -> Result { try run(arguments) }
}
