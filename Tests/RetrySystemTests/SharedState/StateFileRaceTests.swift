import Foundation
import Testing
@testable import RetryCore
@testable import RetrySystem

/// What a state file meets when other processes race it: a FIFO put in its
/// place, a writer killed between write and rename, a signal during the wait.
@Suite final class StateFileRaceTests {
    private let scratch: ScratchDirectory
    private var directory: String { scratch.path }

    init() throws {
        scratch = try ScratchDirectory("state-race")
    }

    @Test func aFIFOInTheFilesPlaceIsRefusedWithoutBlocking() throws {
        // The check before the open sees a regular file; by the open, a FIFO
        // (which a blocking open would wait on for ever, under the lock).
        let path = directory + "/breaker"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: SharedStateError.refused("\(path) is not a regular file")) { _ = try stateFile(path).openForReading() }
    }

    @Test func leftoversOfDeadWritersAreRemovedUnderTheLock() throws {
        let file = stateFile(directory + "/quota")
        try file.validate()
        let dead = try #require(Self.deadPID())
        let leftover = directory + "/.quota.tmp-\(dead)", alive = directory + "/.quota.tmp-1", other = directory + "/.other.tmp-\(dead)"
        for path in [leftover, alive, other] { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
        try file.update(QuotaState.self, warn: { _ in }) { $0 = QuotaState(balance: 3) }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(left == [".other.tmp-\(dead)", ".quota.tmp-1", "quota", "quota.lock"], "only this state's dead writers' files go")
    }

    @Test func aSignalEndsTheWaitForABusyLockAtOnce() throws {
        var file = stateFile(directory + "/state")
        let clock = SteppingClock()
        file = StateFile(path: file.path, clock: clock, sleep: clock.sleep, stopRequested: { clock.sleeps >= 3 })
        try file.validate()
        let holder = open(file.lockPath, O_RDWR)
        defer { close(holder) }
        #expect(flock(holder, LOCK_EX) == 0)
        #expect(throws: SharedStateError.unavailable("\(file.path): stopped waiting for the lock: retry was told to stop")) {
            try file.update(QuotaState.self, warn: { _ in }) { $0 = QuotaState(balance: 1) }
        }
        #expect(clock.sleeps == 3, "the wait ends at the first try after the signal, not at the 10s limit")
    }

    /// A pid that no process has now.
    static func deadPID() -> Int32? {
        (100_000..<4_000_000).lazy.map(Int32.init).first { kill($0, 0) == -1 && errno == ESRCH }
    }
}

@Suite final class SpoolTests {
    private let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory("spool")
    }

    @Test func theSpoolNeverHasAName() throws {
        let spool = try Spool(directory: scratch.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == [])
        // O_TMPFILE: the kernel names it `/dir/#inode (deleted)`; a file made
        // by mkstemp and unlinked would show its `retry-XXXXXX` name, which a
        // SIGKILL between the two calls would have left on the disk.
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(spool.fd)")
        #expect(!target.contains("retry-"), "\(target)")
    }

    @Test func aSignalEndsTheReadOfAnOpenStdin() throws {
        let spool = try Spool(directory: scratch.path)
        var input: [Int32] = [0, 0], wake: [Int32] = [0, 0]
        #expect(pipe(&input) == 0 && pipe(&wake) == 0)
        defer { (input + wake).forEach { close($0) } }
        #expect(write(input[1], "data", 4) == 4)
        var byte: UInt8 = 1
        #expect(write(wake[1], &byte, 1) == 1)
        // The writer never closes `input`: only the wake ends the read.
        #expect(throws: Errno.interrupted) { try spool.fill(from: input[0], wake: wake[0]) }
    }
}
