import Foundation
import Testing
@testable import RetryCore
@testable import RetrySystem

@Suite struct ExecutableLookupTests {
    /// A scratch directory with an executable, a plain file and a directory.
    func scratch() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/subdir", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: directory + "/tool", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755]))
        #expect(FileManager.default.createFile(atPath: directory + "/plain", contents: Data(), attributes: [.posixPermissions: 0o644]))
        return directory
    }

    @Test func searchesPathInOrder() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try ExecutableLookup.resolve("tool", searchPath: "/nonexistent:\(directory)") == directory + "/tool")
        #expect(try ExecutableLookup.resolve("sh", searchPath: "/bin:\(directory)") == "/bin/sh")
    }

    @Test func aNameWithASlashIsAPath() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try ExecutableLookup.resolve(directory + "/tool", searchPath: "") == directory + "/tool")
        #expect(throws: LaunchFailure.notFound(directory + "/missing")) { try ExecutableLookup.resolve(directory + "/missing", searchPath: nil) }
        #expect(throws: LaunchFailure.cannotInvoke(directory + "/subdir", reason: "is a directory")) {
            try ExecutableLookup.resolve(directory + "/subdir", searchPath: nil)
        }
    }

    @Test func tellsNotFoundFromNotRunnable() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: LaunchFailure.notFound("missing")) { try ExecutableLookup.resolve("missing", searchPath: directory) }
        #expect(throws: LaunchFailure.notFound("''")) { try ExecutableLookup.resolve("", searchPath: directory) }
        #expect(throws: LaunchFailure.cannotInvoke("subdir", reason: "is a directory")) { try ExecutableLookup.resolve("subdir", searchPath: directory) }
        // Like execvp, a runnable file later in PATH beats a non-runnable one earlier.
        #expect(try ExecutableLookup.resolve("tool", searchPath: "\(directory)/subdir:\(directory)") == directory + "/tool")
    }

    @Test func aFileWithoutExecutePermissionCannotBeRun() throws {
        // root may execute nothing without an x bit either, so this holds for every user.
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: LaunchFailure.cannotInvoke("plain", reason: "permission denied (is it executable? try chmod +x)")) {
            try ExecutableLookup.resolve("plain", searchPath: directory)
        }
    }

    @Test func foundationErrorsMapTo126And127() {
        let posix = { (code: Int32) in
            NSError(domain: NSCocoaErrorDomain, code: 4, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code))])
        }
        #expect(FoundationLauncher.failure(posix(ENOENT), name: "x") == .notFound("x"))
        #expect(FoundationLauncher.failure(posix(ENOEXEC), name: "x") == .cannotInvoke("x", reason: "exec format error (a script needs a #! line)"))
        #expect(FoundationLauncher.failure(posix(EACCES), name: "x") == .cannotInvoke("x", reason: "permission denied"))
    }
}
