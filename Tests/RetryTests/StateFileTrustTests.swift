import Foundation
import XCTest

/// A state file or lock that another local user could have written is
/// refused (125, one line saying what to fix), as OpenSSH's StrictModes
/// refuses such keys: in /tmp, `nobody` could otherwise plant a breaker
/// that keeps root's job from running for days.
final class StateFileTrustTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        try XCTSkipIf(geteuid() != 0, "needs root, to act as a second user with su (the tests run as root in CI)")
        try XCTSkipIf(getpwnam("nobody") == nil || !FileManager.default.isExecutableFile(atPath: "/bin/su"), "needs the user nobody and su")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        // Like /tmp: anyone may create files, nobody may remove another's.
        XCTAssertEqual(chmod(directory, 0o1777), 0)
    }

    override func tearDownWithError() throws {
        if !directory.isEmpty { try FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs `script` as the user nobody.
    func asNobody(_ script: String) throws {
        let result = try RetryBinary.runInShell("su nobody -s /bin/sh -c \"$2\"", arguments: [script])
        XCTAssertEqual(result.status, 0, "as nobody: \(script): \(result.stderr)")
    }

    func retry(_ arguments: [String]) throws -> RetryBinary.Result {
        try RetryBinary.run(arguments, environment: RetryBinary.environment(["PATH": "/usr/bin:/bin"]))
    }

    static let openBreaker = "retry-breaker 1\\nphase open\\nconsecutive-failures 5\\nretry-at 9999999999.000\\nretry-after-until 0.000\\ntrial-pid 0\\ntrial-process-start 0\\nruns 1\\nfailed-runs 1\\n"

    func testABreakerPlantedByAnotherUserIsRefused() throws {
        let breaker = directory + "/x", marker = directory + "/ran"
        try asNobody("printf '\(Self.openBreaker)' > \(breaker)")
        let result = try retry(["--breaker", breaker, "--", "touch", marker])
        XCTAssertEqual(result.status, 125, result.stderr)
        XCTAssertEqual(result.stderrLines, ["retry: \(breaker) belongs to nobody (uid 65534), not to you or root, so another user may have written it; remove it, or keep the state in a directory only you can write"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the command must not run")
        let owner = try FileManager.default.attributesOfItem(atPath: breaker)[.ownerAccountName] as? String
        XCTAssertEqual(owner, "nobody", "the planted file is not rewritten either")
    }

    func testALockPlantedByAnotherUserIsRefused() throws {
        let quota = directory + "/q"
        try asNobody("umask 0; : > \(quota).lock")
        let result = try retry(["--quota", quota, "--", "true"])
        XCTAssertEqual(result.status, 125, result.stderr)
        XCTAssertEqual(result.stderrLines, ["retry: \(quota).lock belongs to nobody (uid 65534), not to you or root, so another user may have written it; remove it, or keep the state in a directory only you can write"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: quota))
    }

    func testAStateFileOthersCanWriteIsRefused() throws {
        let quota = directory + "/q"
        XCTAssertEqual(try retry(["--quota", quota, "--", "true"]).status, 0)
        XCTAssertEqual(chmod(quota, 0o666), 0)
        let result = try retry(["--quota", quota, "--", "true"])
        XCTAssertEqual(result.status, 125, result.stderr)
        XCTAssertEqual(result.stderrLines, ["retry: \(quota) can be written by other users (mode 666); run chmod go-w on it, or remove it"])
    }

    func testADirectoryAnyoneCanWriteThatIsNotStickyIsRefused() throws {
        XCTAssertEqual(chmod(directory, 0o777), 0)
        let result = try retry(["--breaker", directory + "/b", "--", "true"])
        XCTAssertEqual(result.status, 125, result.stderr)
        XCTAssertEqual(result.stderrLines, ["retry: \(directory) can be written by anyone and is not sticky, so another user could replace \(directory)/b; keep the state in a directory only you can write"])
    }

    func testFilesRetryCreatesAreItsOwnAndPrivate() throws {
        let breaker = directory + "/b", quota = directory + "/q"
        let result = try retry(["--breaker", breaker, "--quota", quota, "-n", "2", "-b", "0", "--", "false"])
        XCTAssertEqual(result.status, 1, result.stderr)
        for path in [breaker, breaker + ".lock", quota, quota + ".lock"] {
            var status = stat()
            XCTAssertEqual(lstat(path, &status), 0, path)
            XCTAssertEqual(status.st_mode & 0o7777, 0o600, path)
            XCTAssertEqual(status.st_uid, geteuid(), path)
        }
        // Still trusted by the next run.
        XCTAssertEqual(try retry(["--breaker", breaker, "--quota", quota, "--", "true"]).status, 0)
    }
}
