import Foundation
import XCTest

/// `--log-format json`, colour, and GitHub Actions' workflow commands, as
/// the built binary writes them.
final class LogFormatTests: XCTestCase {
    func testJSONWritesOneObjectPerEventWithStableFields() throws {
        let result = try RetryBinary.run("--log-format", "json", "-n", "2", "-b", "10ms", "sh", "-c", "echo out; exit 3")
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.stdout, "out\nout\n", "stdout stays the command's")
        let objects = try result.stderrLines.map { line in
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
        }
        XCTAssertEqual(objects.map { $0["event"] as? String },
                       ["attempt-start", "attempt-end", "sleep", "attempt-start", "attempt-end", "give-up"])
        XCTAssertEqual(objects[1]["status"] as? Int, 3)
        XCTAssertEqual(objects[1]["outcome"] as? String, "exited")
        XCTAssertNotNil(objects[2]["delay_ms"] as? Double)
        XCTAssertEqual(objects[5]["reason"] as? String, "attempts-exhausted")
        for object in objects {
            XCTAssertNotNil((object["time"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/))
            XCTAssertNotNil(object["monotonic_ns"] as? Int)
        }
        let stamps = objects.compactMap { $0["monotonic_ns"] as? Int }
        XCTAssertEqual(stamps, stamps.sorted(), "monotonic stamps never go back")
    }

    func testJSONReportsEvenWhenQuiet() throws {
        let result = try RetryBinary.run("--log-format", "json", "-q", "true")
        XCTAssertEqual(result.stderrLines.count, 3, "attempt-start, attempt-end, success")
    }

    func testGitHubActionsFoldsAttemptsAndAnnotatesFailures() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["GITHUB_ACTIONS"] = "true"
        let result = try RetryBinary.run(["-n", "2", "-b", "0", "sh", "-c", "exit 3"], environment: environment)
        XCTAssertEqual(result.stderrLines, [
            "::group::retry: attempt 1/2", "::endgroup::",
            "retry: attempt 1/2 failed with exit status 3; next in 0ms",
            "::warning title=retry::attempt 1/2 failed with exit status 3; next in 0ms",
            "::group::retry: attempt 2/2", "::endgroup::",
            "retry: attempt 2/2 failed with exit status 3",
            "::warning title=retry::attempt 2/2 failed with exit status 3",
            "retry: giving up after 2 attempts; exit status 3",
        ])
    }

    func testGitHubActionsGroupsStayWithQuietButNotTheAnnotations() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["GITHUB_ACTIONS"] = "true"
        let result = try RetryBinary.run(["-q", "-n", "2", "-b", "0", "sh", "-c", "echo try $RETRY_ATTEMPT >&2; exit 3"], environment: environment)
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.stderrLines, [
            "::group::retry: attempt 1/2", "try 1", "::endgroup::",
            "::group::retry: attempt 2/2", "try 2", "::endgroup::",
            "retry: giving up after 2 attempts; exit status 3",
        ])
    }

    func testNoColourWhenStderrIsNotATerminal() throws {
        let result = try RetryBinary.run("-n", "1", "false")
        XCTAssertFalse(result.stderr.contains("\u{1B}["))
    }

    func testColourAtATerminalUnlessNoColor() throws {
        try XCTSkipIf(!FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script(1) is not installed")
        func throughTerminal(_ prefix: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "\(prefix) \(RetryBinary.path) -n 1 false", "/dev/null"]
            let output = Pipe()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        XCTAssertTrue(try throughTerminal("env -u NO_COLOR TERM=xterm").contains("\u{1B}[33mattempt 1/1 failed"))
        XCTAssertFalse(try throughTerminal("env NO_COLOR=1 TERM=xterm").contains("\u{1B}["))
    }
}
