import Foundation
import XCTest

/// Runs the built `retry` executable and collects what it did.
struct RetryBinary {
    /// `variables` plus the sanitizers' settings, when the tests run under
    /// one: a `retry` started with a made-up environment must still write
    /// its reports where `bench/sanitizers` reads them, with its suppressions.
    static func environment(_ variables: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { $0.key.hasSuffix("SAN_OPTIONS") }.merging(variables) { $1 }
    }

    /// Whether the tests run under AddressSanitizer, which reserves terabytes
    /// of address space and cannot start under a `ulimit -v`.
    static var underAddressSanitizer: Bool { ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil }

    /// Whether the tests run under ThreadSanitizer, whose runtime dies of
    /// SIGBUS under a `ulimit -f` before `retry` starts.
    static var underThreadSanitizer: Bool { ProcessInfo.processInfo.environment["TSAN_OPTIONS"] != nil }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stderr split into lines, without the empty last one. Split on the
        /// byte: Swift takes "\r\n" (curl's headers) as one Character.
        var stderrLines: [String] {
            stderr.utf8.split(separator: 10, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        }
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
        let (out, err) = readToEnd(stdout, stderr)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    static func run(_ arguments: String...) throws -> Result { try run(arguments) }

    /// Runs `script` with `shell -c`, `$1` being `retry` and `arguments`
    /// after it: for what only a shell sets up (limits, redirections, pipes).
    static func runInShell(_ script: String, shell: String = "/bin/sh", arguments: [String] = [],
                           environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-c", script, (shell as NSString).lastPathComponent, path] + arguments
        if let environment { process.environment = environment }
        let stdout = Pipe(), stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let (out, err) = readToEnd(stdout, stderr)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }
}

/// A `retry` process the test talks to while it runs: it waits for a line
/// (a handshake) before acting, instead of sleeping for a guessed time.
final class LiveRetry {
    let process = Process()
    private let stdout = Pipe(), stderr = Pipe()
    private var outBuffer = Data(), errBuffer = Data()
    private(set) var started = Date()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: RetryBinary.path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        started = Date()
    }

    var pid: Int32 { process.processIdentifier }

    /// Blocks until stdout (or stderr) holds a whole line containing `text`
    /// (any line when nil); returns that line, or nil at the end of the stream.
    @discardableResult
    func waitForLine(containing text: String? = nil, onStderr: Bool = false) -> String? {
        let handle = (onStderr ? stderr : stdout).fileHandleForReading
        while true {
            let buffer = onStderr ? errBuffer : outBuffer
            let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = lines.first(where: { text == nil || $0.contains(text!) }) { return String(line) }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            if onStderr { errBuffer.append(chunk) } else { outBuffer.append(chunk) }
        }
    }

    /// Reads both streams to their end and waits for the exit.
    func finish() -> (reason: Process.TerminationReason, status: Int32, stdout: String, stderr: String, seconds: Double) {
        let rest = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        let stdoutHandle = stdout.fileHandleForReading
        DispatchQueue.global().async(group: rest) { out = stdoutHandle.readDataToEndOfFile() }
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        rest.wait()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        outBuffer.append(out)
        errBuffer.append(err)
        return (process.terminationReason, process.terminationStatus,
                String(decoding: outBuffer, as: UTF8.self), String(decoding: errBuffer, as: UTF8.self), seconds)
    }
}

/// Live (non-zombie) processes whose process group is `group`, from /proc.
func liveMembers(ofGroup group: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry),
              let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && fields[2] == "\(group)" && fields[0] != "Z" ? pid : nil
    }
}

/// Reads two pipes to their end at once, so neither can fill up and stall
/// the process writing them.
func readToEnd(_ stdout: Pipe, _ stderr: Pipe) -> (Data, Data) {
    let collected = DispatchGroup()
    nonisolated(unsafe) var out = Data()
    DispatchQueue.global().async(group: collected) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    collected.wait()
    return (out, err)
}
