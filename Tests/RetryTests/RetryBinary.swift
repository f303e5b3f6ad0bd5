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

    /// Runs `retry` with `arguments` through a shell that first closes every
    /// descriptor above 2: Foundation leaks a socket into each child and
    /// learns of its exit only once every holder has closed it, and `retry`
    /// hands the descriptors it was given to the command, as any plain
    /// child gets them. A test of what a lingering background process does
    /// must not wait on its own leak.
    /// (bash: dash cannot name a descriptor above 9 in a redirection.)
    static func runWithoutInheritedDescriptors(_ arguments: [String]) throws -> Result {
        let script = #"for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-"; done; exec "$@""#
        return try runInShell(script, shell: "/bin/bash", arguments: arguments)
    }

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

    /// How `retry` ended, what it wrote, and what of the command's group
    /// was still alive at that moment.
    struct Finished {
        let reason: Process.TerminationReason
        let status: Int32
        let stdout: String
        let stderr: String
        /// From the start of `retry` to its exit.
        let seconds: Double
        /// Live members of the group passed to `finish`, read as soon as
        /// `retry` had exited.
        let leftInGroup: [Int32]
    }

    /// Waits for `retry` to exit (at most `within` seconds from now, else the
    /// test fails and `retry` is killed), reads at once which members of the
    /// command's `group` are still alive and fails the test if any is,
    /// then collects what `retry` wrote.
    ///
    /// `retry`'s exit is awaited first, with `waitid(WNOWAIT)`, and not the
    /// end of its output: a process that survived teardown holds the pipes,
    /// and reading them to their end would wait for it to end by itself,
    /// which would make a broken teardown look like a slow one.
    func finish(group: Int32? = nil, within: Double = 10, file: StaticString = #filePath, line: UInt = #line) -> Finished {
        let asked = Date()
        var info = siginfo_t()
        var exited = false
        while Date().timeIntervalSince(asked) < within {
            info = siginfo_t()
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG)
            // ECHILD: Foundation has reaped it already, so it has exited.
            if result == -1 && errno == ECHILD { exited = true; break }
            if result == 0 && info._sifields._sigchld.si_pid == pid { exited = true; break }
            usleep(1_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let left = group.map(liveMembers(ofGroup:)) ?? []
        if !exited {
            XCTFail("retry did not exit within \(within) s", file: file, line: line)
            kill(pid, SIGKILL)
            info = siginfo_t()
            exited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0
        }
        XCTAssertEqual(left, [], "the command's group outlived retry", file: file, line: line)
        // Nothing of the test may be left running, whatever happened.
        if let group, !left.isEmpty { kill(-group, SIGKILL) }
        // A survivor outside the group may still hold the pipes: what retry
        // wrote is in them by now, so the end is not awaited for long.
        let (out, err) = readBoth(stdout.fileHandleForReading.fileDescriptor, stderr.fileHandleForReading.fileDescriptor, for: 2)
        outBuffer.append(out)
        errBuffer.append(err)
        let reason: Process.TerminationReason, status: Int32
        if exited, info.si_code != CLD_EXITED, info.si_signo == SIGCHLD {
            (reason, status) = (.uncaughtSignal, info._sifields._sigchld.si_status)
        } else if exited, info.si_signo == SIGCHLD {
            (reason, status) = (.exit, info._sifields._sigchld.si_status)
        } else {
            // Reaped by Foundation before we looked: it has the status.
            if exited { process.waitUntilExit() }
            (reason, status) = (process.terminationReason, process.terminationStatus)
        }
        return Finished(reason: reason, status: status, stdout: String(decoding: outBuffer, as: UTF8.self),
                        stderr: String(decoding: errBuffer, as: UTF8.self), seconds: seconds, leftInGroup: left)
    }

    /// Reads two descriptors until both end, or until `seconds` pass.
    private func readBoth(_ first: Int32, _ second: Int32, for seconds: Double) -> (Data, Data) {
        var data = [Data(), Data()]
        var open = [true, true]
        let end = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.contains(true) {
            let left = end.timeIntervalSinceNow
            if left <= 0 { break }
            var entries = [pollfd(fd: open[0] ? first : -1, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: open[1] ? second : -1, events: Int16(POLLIN), revents: 0)]
            if poll(&entries, 2, Int32(left * 1000) + 1) <= 0 { continue }
            for index in 0..<2 where entries[index].revents != 0 {
                let count = read(entries[index].fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { open[index] = false } else { data[index].append(contentsOf: buffer[..<count]) }
            }
        }
        return (data[0], data[1])
    }
}

/// Waits until no live process is left in `group`, for at most `within`
/// seconds; returns how long that took, or nil if one is still there (and
/// then kills the group, so that nothing is left behind the test).
func awaitGroupGone(_ group: Int32, within: Double) -> Double? {
    let since = Date()
    while Date().timeIntervalSince(since) < within {
        if liveMembers(ofGroup: group).isEmpty { return Date().timeIntervalSince(since) }
        usleep(2_000)
    }
    kill(-group, SIGKILL)
    return nil
}

/// The text of a /proc file, "" when it cannot be read. A plain read(2):
/// Foundation's `String(contentsOfFile:)` leaks its buffer when a read
/// fails half-way, as it does when the process goes away meanwhile, and
/// the sanitizer run counts that as a leak of the test runner.
func procText(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes = [UInt8](), chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 20 {
        let count = read(fd, &chunk, chunk.count)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        bytes += chunk[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Live (non-zombie) processes whose process group is `group`, from /proc.
func liveMembers(ofGroup group: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry),
              case let stat = procText("/proc/\(entry)/stat"),
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
