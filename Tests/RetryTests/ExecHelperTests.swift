import Foundation
import XCTest

/// `retry-exec`, the helper every command starts through, and the guard:
/// what `retry` says when the helper is missing or is not the helper, and
/// that its own processes are no shell scripts.
final class ExecHelperTests: XCTestCase {
    /// A copy of `retry` in a directory of its own, with `helper` (or
    /// nothing) where it looks for `retry-exec`.
    private func retryBeside(_ helper: (String) throws -> Void) throws -> (retry: String, helper: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("helper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let retry = directory.appendingPathComponent("retry").path
        try FileManager.default.copyItem(atPath: RetryBinary.path, toPath: retry)
        let helperPath = directory.appendingPathComponent("retry-exec").path
        try helper(helperPath)
        return (retry, helperPath, directory)
    }

    private func run(_ retry: String, _ arguments: [String]) throws -> RetryBinary.Result {
        try RetryBinary.runInShell("shift; exec \"$@\"", arguments: [retry] + arguments)
    }

    func testAScriptInTheHelpersPlaceThatExitsZeroIsNotASuccess() throws {
        let setUp = try retryBeside { path in
            try "#!/bin/sh\nexit 0\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
        }
        defer { try? FileManager.default.removeItem(at: setUp.directory) }
        let result = try run(setUp.retry, ["-n", "3", "--", "sh", "-c", "echo ran"])
        XCTAssertEqual(result.status, 125)
        XCTAssertEqual(result.stdout, "", "the command never ran")
        XCTAssertEqual(result.stderrLines, ["retry: the helper \(setUp.helper) ended without starting the command; is it retry's retry-exec? reinstall retry"])
    }

    func testAHelperThatIsADirectoryOrCorruptIsNamedNotTheCommand() throws {
        let directory = try retryBeside { path in try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) }
        defer { try? FileManager.default.removeItem(at: directory.directory) }
        let result = try run(directory.retry, ["-n", "3", "--", "sh", "-c", "echo ran"])
        XCTAssertEqual(result.status, 125)
        XCTAssertEqual(result.stderrLines, ["retry: the helper \(directory.helper) is not a regular file; is it retry's retry-exec? reinstall retry"])
        XCTAssertEqual(try run(directory.retry, ["--version"]).stdout.split(separator: "\n").last.map(String.init),
                       "helper: \(directory.helper) is not a regular file: reinstall retry")

        let corrupt = try retryBeside { path in
            try Data(repeating: 0x7f, count: 4096).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)
        }
        defer { try? FileManager.default.removeItem(at: corrupt.directory) }
        let garbled = try run(corrupt.retry, ["-n", "3", "--", "sh", "-c", "echo ran"])
        XCTAssertEqual(garbled.status, 125)
        XCTAssertEqual(garbled.stdout, "")
        XCTAssertEqual(garbled.stderrLines.count, 1, garbled.stderr)
        XCTAssertTrue(garbled.stderr.hasPrefix("retry: the helper \(corrupt.helper) cannot be"), garbled.stderr)
        XCTAssertFalse(garbled.stderr.contains("sh:"), "the command is not blamed")
    }

    func testAMissingHelperIsReportedByVerboseOnceAndByVersion() throws {
        let setUp = try retryBeside { _ in }
        defer { try? FileManager.default.removeItem(at: setUp.directory) }
        let version = try run(setUp.retry, ["--version"])
        XCTAssertTrue(version.stdout.hasSuffix("\nhelper: not found (looked for \(setUp.helper) and \(setUp.directory.path)/../libexec/retry/retry-exec): "
                                               + "commands run without it, so a retry killed with SIGKILL leaves them running\n"), version.stdout)
        let verbose = try run(setUp.retry, ["-v", "-n", "2", "-b", "0", "--", "sh", "-c", "echo ran; exit 1"])
        XCTAssertEqual(verbose.status, 1)
        XCTAssertEqual(verbose.stdout, "ran\nran\n", "the commands still run")
        XCTAssertEqual(verbose.stderrLines.filter { $0.contains("retry-exec") },
                       ["retry: the helper retry-exec was not found beside retry or in ../libexec/retry: commands run without it, so a retry killed with SIGKILL leaves them running"])
        XCTAssertEqual(try run(setUp.retry, ["-n", "1", "--", "true"]).stderr, "", "said only with -v")
    }

    func testRetrysOnlyOtherProcessIsItsGuardAndNoShellScript() throws {
        let live = try LiveRetry(["-n", "1", "--", "sh", "-c", "echo $$; exec sleep 30"])
        let command = try XCTUnwrap(live.waitForLine().flatMap { Int32($0) })
        let children = procText("/proc/\(live.pid)/task/\(live.pid)/children")
            .split(separator: " ").compactMap { Int32($0) }
        let commandLines = children.filter { $0 != command }.map { child in
            procText("/proc/\(child)/cmdline").replacingOccurrences(of: "\0", with: " ")
        }
        XCTAssertEqual(commandLines, ["retry-exec --guard "])
        kill(live.pid, SIGTERM)
        XCTAssertEqual(live.finish(group: command, within: 5).status, SIGTERM)
    }
}
