#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import RetryCore

@Suite struct StateFileTests {
    func scratch() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func recordsRoundTripThroughText() throws {
        var breaker = BreakerState()
        breaker.phase = .halfOpen
        breaker.consecutiveFailures = 4
        breaker.retryAt = 1_795_489_498.703
        breaker.trial = .init(pid: 42, processStart: 99)
        breaker.runs = 9
        breaker.failedRuns = 6
        #expect(try BreakerState.decode(breaker.encoded()) == breaker)
        #expect(breaker.encoded().hasPrefix("retry-breaker 1\nphase half-open\n"))
        var quota = QuotaState(balance: 495)
        quota.retriesTaken = 3
        #expect(try QuotaState.decode(quota.encoded()) == quota)
    }

    @Test(arguments: [
        "", "garbage", "retry-breaker 2\nphase closed", "retry-quota 1\nbalance 5",
        "retry-breaker 1\nphase ajar\nconsecutive-failures 0\nretry-at 0\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphase closed\nconsecutive-failures -1\nretry-at 0\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphase closed\nconsecutive-failures 0\nretry-at nan\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphase closed\nconsecutive-failures 0",
        // Found by fuzzing: counts that overflow when counted on, and times that overflow when written.
        "retry-breaker 1\nphase closed\nconsecutive-failures 0\nretry-at 0\ntrial-pid 0\ntrial-process-start 0\nruns 9223372036854775807\nfailed-runs 0",
        "retry-breaker 1\nphase open\nconsecutive-failures 0\nretry-at -1e300\ntrial-pid 0\ntrial-process-start 0\nruns 0\nfailed-runs 0",
        "retry-breaker 1\nphaseclosed",
    ])
    func corruptRecordsAreRejected(text: String) {
        #expect(throws: InvalidValue.self) { try BreakerState.decode(text) }
    }

    @Test func quotaCountsThatWouldOverflowAreCorrupt() {
        #expect(throws: InvalidValue.self) {
            try QuotaState.decode("retry-quota 1\nbalance 9223372036854775807\nretries-taken 0\nretries-refused 0\ntokens-refunded 0")
        }
    }

    @Test func updatesCreateAPrivateFileAndLockFile() throws {
        let directory = try scratch()
        let file = StateFile(path: directory + "/quota")
        try file.validate()
        let paid = try file.update(QuotaState.self, warn: { _ in }) { state in
            state = QuotaState(balance: 7)
            return true
        }
        #expect(paid)
        #expect(try file.read(QuotaState.self, warn: { _ in }) == QuotaState(balance: 7))
        for path in [file.path, file.lockPath] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(path)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(leftovers == ["quota", "quota.lock"], "no temporary file is left behind")
    }

    @Test func aSymlinkIsRefusedAndItsTargetUntouched() throws {
        let directory = try scratch()
        let target = directory + "/target"
        try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: target)
        let file = StateFile(path: directory + "/link")
        #expect(throws: StateFileError.refused(directory + "/link is a symbolic link; name the file itself")) { try file.validate() }
        #expect(throws: StateFileError.self) { try file.update(QuotaState.self, warn: { _ in }) { $0 = QuotaState(balance: 1) } }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
    }

    @Test func aSymlinkedLockFileIsRefused() throws {
        let directory = try scratch()
        try "x".write(toFile: directory + "/elsewhere", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/state.lock", withDestinationPath: directory + "/elsewhere")
        #expect(throws: StateFileError.refused(directory + "/state.lock is a symbolic link or not a regular file")) {
            try StateFile(path: directory + "/state").validate()
        }
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try scratch()
        #expect(throws: StateFileError.refused(directory + " is not a regular file")) { try StateFile(path: directory).validate() }
    }

    @Test func aCorruptFileIsReportedAndReplaced() throws {
        let directory = try scratch()
        let path = directory + "/breaker"
        try "not a state\n".write(toFile: path, atomically: false, encoding: .utf8)
        var warnings: [String] = []
        try StateFile(path: path).update(BreakerState.self, warn: { warnings.append($0) }) { state in
            #expect(state == nil)
            state = BreakerState()
        }
        #expect(warnings == ["\(path): the state is corrupt (it does not start with 'retry-breaker 1'); starting afresh"])
        #expect(try StateFile(path: path).read(BreakerState.self, warn: { _ in }) == BreakerState())
    }

    @Test func aBusyLockDoesNotBlockForever() throws {
        let directory = try scratch()
        var file = StateFile(path: directory + "/state")
        file.lockTimeout = .milliseconds(50)
        try file.validate()
        let holder = open(file.lockPath, O_RDWR)
        defer { close(holder) }
        #expect(flock(holder, LOCK_EX) == 0)
        // flock locks belong to the open file description: a second open in
        // this process contends like another process would.
        #expect(throws: StateFileError.self) { try file.update(QuotaState.self, warn: { _ in }) { $0 = QuotaState(balance: 1) } }
    }
}
