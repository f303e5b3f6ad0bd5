import Foundation
import XCTest

/// The command and the hooks get exactly the descriptors `retry` was given
/// (a `3>log`, a `<(...)`), as a plain child of the same caller does, and
/// nothing of `retry`'s own (Foundation's socket, a Redis connection, the
/// state locks), in every mode.
final class DescriptorTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descriptors-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    /// Lists the descriptors the command was given: `exec`, so that no
    /// pipe or substitution of a shell's is among them.
    static let list = "exec ls -l /proc/self/fd"

    /// The descriptors from 3 up and what they point to, from `ls -l`,
    /// without the one ls reads the directory with.
    static func parse(_ listing: String) -> [String] {
        listing.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 11, let fd = Int(fields[8]), fd >= 3, !fields[10].hasPrefix("/proc/") else { return nil }
            return "\(fd) \(fields[10])"
        }
    }

    /// Runs a plain child and `retry` with `options` from one caller that
    /// opened fds 3 and 7; returns what each listing said (the command's on
    /// stdout, a hook's on stderr).
    func listings(_ options: [String], hook: Bool = false) throws -> (plain: String, retry: String) {
        let script = """
            r=$1 d=$2 l=$3; shift 3
            exec 3>"$d/log" 7<"$d/log"
            sh -c "$l" > "$d/plain"
            "$r" "$@" > "$d/retry" 2> "$d/messages"
            """
        let command = hook ? ["-n", "2", "-b", "0", "--before-retry", Self.list] + options + ["--", "false"]
                           : ["-n", "1"] + options + ["--", "sh", "-c", Self.list]
        _ = try RetryBinary.runInShell(script, arguments: [directory, Self.list] + command,
                                       environment: RetryBinary.environment(["TMPDIR": directory, "PATH": "/usr/bin:/bin"]))
        let plain = try String(contentsOfFile: directory + "/plain", encoding: .utf8)
        let retry = try String(contentsOfFile: directory + (hook ? "/messages" : "/retry"), encoding: .utf8)
        return (Self.parse(plain).joined(separator: "\n"), Self.parse(retry).joined(separator: "\n"))
    }

    func testTheCommandGetsTheCallersDescriptorsAndNothingOfRetrys() throws {
        var modes: [[String]] = [[], ["--hold-output"], ["--retry-if-output", "zzz"], ["--http"], ["--stdin", "replay"],
                                 ["--breaker", directory + "/b"], ["--quota", directory + "/q"]]
        let redis = try? TestRedisServer()
        defer { redis?.stop() }
        if let redis { modes += [["--breaker", redis.url("b")], ["--quota", redis.url("q")]] }
        for options in modes {
            let (plain, retry) = try listings(options)
            XCTAssertTrue(plain.contains("3 \(directory)/log") && plain.contains("7 \(directory)/log"), plain)
            XCTAssertEqual(retry, plain, "\(options)")
        }
        if redis == nil { print("redis-server is not installed: the Redis modes were not checked") }
    }

    func testHooksGetTheCallersDescriptorsToo() throws {
        let (plain, hook) = try listings(["--breaker", directory + "/b"], hook: true)
        XCTAssertEqual(hook, plain)
    }

    func testProcessSubstitutionReachesTheCommand() throws {
        let result = try RetryBinary.runInShell(#"exec "$1" -n 1 -- cat <(echo x)"#, shell: "/bin/bash")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "x\n")
    }

    func testAClosedStdinStaysClosed() throws {
        let result = try RetryBinary.runInShell(#"exec "$1" -n 1 -- sh -c 'cat; echo $?' <&-"#)
        XCTAssertTrue(result.stdout.hasSuffix("1\n"), "cat fails on a closed stdin: \(result.stdout) \(result.stderr)")
    }
}
