import Foundation
import Testing
@testable import RetryCore
@testable import RetrySystem

@Suite final class StateFileTests {
    /// Removed after each test with the suite's instance.
    private let scratch: ScratchDirectory
    private var directory: String { scratch.path }

    init() throws {
        scratch = try ScratchDirectory("state")
    }

    @Test func updatesCreateAPrivateFileAndLockFile() throws {
        let file = stateFile(directory + "/quota")
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
        let target = directory + "/target"
        try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: target)
        let file = stateFile(directory + "/link")
        #expect(throws: SharedStateError.refused(directory + "/link is a symbolic link; name the file itself")) { try file.validate() }
        #expect(throws: SharedStateError.self) { try file.update(QuotaState.self, warn: { _ in }) { $0 = QuotaState(balance: 1) } }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
    }

    @Test func aSymlinkedLockFileIsRefused() throws {
        try "x".write(toFile: directory + "/elsewhere", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/state.lock", withDestinationPath: directory + "/elsewhere")
        #expect(throws: SharedStateError.refused(directory + "/state.lock is a symbolic link or not a regular file")) {
            try stateFile(directory + "/state").validate()
        }
    }

    @Test func aDirectoryIsRefused() throws {
        #expect(throws: SharedStateError.refused(directory + " is not a regular file")) { try stateFile(directory).validate() }
    }

    @Test func aCorruptFileIsReportedAndReplaced() throws {
        let path = directory + "/breaker"
        try "not a state\n".write(toFile: path, atomically: false, encoding: .utf8)
        var warnings: [String] = []
        try stateFile(path).update(BreakerState.self, warn: { warnings.append($0) }) { state in
            #expect(state == nil)
            state = BreakerState()
        }
        #expect(warnings == ["\(path): the state is corrupt (it does not start with 'retry-breaker 1'); starting afresh"])
        #expect(try stateFile(path).read(BreakerState.self, warn: { _ in }) == BreakerState())
    }

    @Test func aBusyLockDoesNotBlockForever() throws {
        let file = stateFile(directory + "/state")
        try file.validate()
        let holder = open(file.lockPath, O_RDWR)
        defer { close(holder) }
        #expect(flock(holder, LOCK_EX) == 0)
        // flock locks belong to the open file description: a second open in
        // this process contends like another process would.
        #expect(throws: SharedStateError.self) { try file.update(QuotaState.self, warn: { _ in }) { $0 = QuotaState(balance: 1) } }
    }
}
