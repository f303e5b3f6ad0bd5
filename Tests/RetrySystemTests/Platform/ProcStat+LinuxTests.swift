import Foundation
import Testing
@testable import RetryCore
@testable import RetrySystem

/// The /proc reading behind process-group teardown, on this machine's /proc.
@Suite struct ProcStatTests {
    @Test(arguments: [
        ("12 (sh) S 1 12 12 0 -1", UInt8(ascii: "S"), Int32(12), UInt64?.none),
        ("40 (a) b) (c) Z 1 39 39 0", UInt8(ascii: "Z"), Int32(39), nil),
        ("7 ()) R 0 2147483647 1", UInt8(ascii: "R"), Int32.max, nil),
        ("9 (cat) S 1 9 9 0 -1 4194304 90 0 0 0 0 0 0 0 20 0 1 0 123456 5 6\n", UInt8(ascii: "S"), Int32(9), 123456),
    ])
    func parsesStateGroupAndStartAfterTheLastParenthesis(line: String, state: UInt8, group: Int32, start: UInt64?) throws {
        let parsed = try #require(StatReader.parse(Array(line.utf8)[...]))
        #expect(parsed.state == state)
        #expect(parsed.group == group)
        #expect(parsed.startTime == start)
    }

    @Test(arguments: ["", "12 sh S 1 12", "12 (sh) S 1", "12 (sh) S 1 -4 4", "12 (sh) S 1 99999999999 1", "12 (sh) S 1 1x 1"])
    func refusesWhatIsNotAStatLine(line: String) {
        #expect(StatReader.parse(Array(line.utf8)[...]) == nil)
    }

    @Test func readsThisProcess() throws {
        let entry = try #require(ProcStat.read(getpid()))
        #expect(entry.group == getpgrp())
        #expect(!entry.isZombie)
        #expect((entry.startTime ?? 0) > 0)
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
        #expect(ProcStat.read(group)?.group == group)
        #expect(ProcStat.anyLiveMember(of: group))
        #expect(ProcessGroup.isAlive(group))
        kill(group, SIGKILL)
        #expect(ended.wait(timeout: .now() + 10) == .success)
        #expect(ProcStat.read(group) == nil)
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
        #expect(ProcStat.read(child)?.isZombie == true)
        #expect(kill(-child, 0) == 0)
        #expect(!ProcStat.anyLiveMember(of: child))
        #expect(!ProcessGroup.isAlive(child))
        var status: Int32 = 0
        waitpid(child, &status, 0)
    }
}
