// FoundationProbe: what one spawn-and-reap costs inside a running Swift
// process, N times in a row, so `retry`'s per-attempt cost can be split into
// Foundation's share and its own. Built like the installed `retry`
// (-O, -static-executable, stripped). Prints
// "<ns before the first spawn> <ns after the last reap> <last status>"
// (CLOCK_MONOTONIC), like bench/helpers/spawnloop.c.
//
//   FoundationProbe MODE N COMMAND [ARG...]
//   FoundationProbe sleep N MS
//
// MODE:
//   posix     Glibc posix_spawn + waitpid, no Foundation (the Swift floor)
//   handler   Foundation Process + terminationHandler + DispatchSemaphore
//   env       as handler, with an explicit environment (three variables added)
//   released  as env, and the handler calls waitUntilExit(), which returns at
//             once then and lets go of Foundation's run loop source: without
//             it each Process, with its environment, is never freed
//   waitid    as handler, with a waitid(WNOWAIT) watcher on a Dispatch thread
//   launcher  as handler, plus what retry's FoundationLauncher adds around it:
//             an explicit environment with three variables added, and a
//             waitid(WNOWAIT) watcher on a Dispatch thread; it goes on at the
//             first of the two to see the exit, as retry does
//   sleep     no command: waits MS milliseconds N times on a DispatchSemaphore
//             with a timeout, as retry's backoff sleep does (SystemEvents),
//             and prints each overshoot in nanoseconds, one a line

import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

func nowNs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int32?
    func set(_ status: Int32) { lock.lock(); value = status; lock.unlock() }
    func get() -> Int32? { lock.lock(); defer { lock.unlock() }; return value }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("FoundationProbe: \(message)\n".utf8))
    exit(2)
}

let args = CommandLine.arguments
if args.count == 4, args[1] == "sleep", let count = Int(args[2]), let milliseconds = Double(args[3]) {
    let wanted = Int64(milliseconds * 1e6)
    let never = DispatchSemaphore(value: 0)
    var lines = ""
    for _ in 0..<count {
        let before = nowNs()
        _ = never.wait(timeout: .now() + .nanoseconds(Int(wanted)))
        lines += "\(nowNs() - before - wanted)\n"
    }
    print(lines, terminator: "")
    exit(0)
}
guard args.count >= 4, let count = Int(args[2]) else {
    fail("usage: FoundationProbe posix|handler|env|released|waitid|launcher N COMMAND [ARG...]")
}
let mode = args[1]
let command = Array(args[3...])

/// The command's path, found through PATH as execvp does.
func resolve(_ name: String) -> String {
    if name.contains("/") { return name }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    fail("\(name): not found")
}

let path = resolve(command[0])
var lastStatus: Int32 = 0
let start = nowNs()

switch mode {
case "posix":
    var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    for _ in 0..<count {
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, nil, nil, &argv, environ) == 0 else { fail("posix_spawn failed") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {}
        lastStatus = (status >> 8) & 0xff
    }
case "handler", "env", "released", "waitid", "launcher":
    let base = ProcessInfo.processInfo.environment
    let url = URL(fileURLWithPath: path)
    for attempt in 1...max(count, 1) {
        let done = DispatchSemaphore(value: 0)
        let process = Process()
        process.executableURL = url
        process.arguments = Array(command.dropFirst())
        if mode == "launcher" || mode == "env" || mode == "released" {
            var environment = base
            environment["RETRY_ATTEMPT"] = String(attempt)
            environment["RETRY_MAX_ATTEMPTS"] = String(count)
            environment["RETRY_IDEMPOTENCY_KEY"] = "00000000-0000-4000-8000-000000000000"
            process.environment = environment
        }
        if mode == "released" {
            process.terminationHandler = { process in
                done.signal()
                process.waitUntilExit()
            }
        } else {
            process.terminationHandler = { _ in done.signal() }
        }
        do { try process.run() } catch { fail("\(error)") }
        if mode == "launcher" || mode == "waitid" {
            // As retry does: go on at the first of the two to report, and
            // read the status without reaping (Foundation reaps).
            let pid = process.processIdentifier
            let status = StatusBox()
            DispatchQueue.global().async {
                var info = siginfo_t()
                if waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0 {
                    status.set(info._sifields._sigchld.si_status)
                }
                done.signal()
            }
            done.wait()
            // Not terminationStatus: if Foundation reaped first, it may not
            // have set it yet (reading it then traps).
            lastStatus = status.get() ?? -1
        } else {
            done.wait()
            lastStatus = process.terminationStatus
        }
    }
default:
    fail("unknown mode \(mode)")
}
let end = nowNs()
print("\(start) \(end) \(lastStatus)")
