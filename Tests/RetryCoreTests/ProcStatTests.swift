import Foundation
import Testing
@testable import RetryCore

/// The /proc reading behind process-group teardown, on this machine's /proc.
@Suite struct ProcStatTests {
    @Test(arguments: [
        ("12 (sh) S 1 12 12 0 -1", UInt8(ascii: "S"), Int32(12)),
        ("40 (a) b) (c) Z 1 39 39 0", UInt8(ascii: "Z"), Int32(39)),
        ("7 ()) R 0 2147483647 1", UInt8(ascii: "R"), Int32.max),
    ])
    func parsesStateAndGroupAfterTheLastParenthesis(line: String, state: UInt8, group: Int32) throws {
        let parsed = try #require(StatReader.parse(Array(line.utf8)[...]))
        #expect(parsed.state == state)
        #expect(parsed.group == group)
    }

    @Test(arguments: ["", "12 sh S 1 12", "12 (sh) S 1", "12 (sh) S 1 -4 4", "12 (sh) S 1 99999999999 1", "12 (sh) S 1 1x 1"])
    func refusesWhatIsNotAStatLine(line: String) {
        #expect(StatReader.parse(Array(line.utf8)[...]) == nil)
    }

    @Test func findsALiveGroupAndNotAGoneOne() throws {
        // Foundation puts the child in a group of its own, led by itself.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { process in
            ended.signal()
            process.waitUntilExit() // frees the Process: see FoundationLauncher
        }
        try process.run()
        let group = process.processIdentifier
        #expect(ProcStat.state(of: group) != nil)
        #expect(ProcStat.anyLiveMember(of: group))
        #expect(ProcessGroup.isAlive(group))
        kill(group, SIGKILL)
        #expect(ended.wait(timeout: .now() + 10) == .success)
        #expect(ProcStat.state(of: group) == nil)
        #expect(!ProcStat.anyLiveMember(of: group))
        #expect(!ProcessGroup.isAlive(group))
    }

    @Test func aZombieLeaderAloneIsNotAlive() throws {
        // The case Foundation creates: the leader has exited, nobody has
        // reaped it yet. A fork of our own stands in for it here.
        let child = fork()
        if child == 0 {
            setpgid(0, 0)
            _exit(0)
        }
        setpgid(child, child)
        var info = siginfo_t()
        _ = waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT)
        #expect(ProcStat.state(of: child) == UInt8(ascii: "Z"))
        #expect(kill(-child, 0) == 0)
        #expect(!ProcStat.anyLiveMember(of: child))
        #expect(!ProcessGroup.isAlive(child))
        var status: Int32 = 0
        waitpid(child, &status, 0)
    }
}
