import Foundation
import Testing

/// The core decides and nothing else: it must not reach the system itself.
@Suite struct CorePurityTests {
    /// Words that mean the file reaches the OS: the C library, processes,
    /// threads, queues or `/proc`.
    static let forbidden = [#"(?m)^\s*(@_exported\s+)?import\s+(Glibc|Darwin|Musl)\b"#, #"\bProcess\b"#, #"\bThread\b"#,
                            #"\bDispatchQueue\b"#, #"/proc\b"#]

    static var coreFiles: [URL] {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/RetryCore")
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "swift" }
    }

    /// Code with its comments removed: a comment may name what the core avoids.
    static func code(of text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("//") { return "" }
            guard let comment = line.range(of: " // ") else { return String(line) }
            return String(line[..<comment.lowerBound])
        }.joined(separator: "\n")
    }

    @Test func theCoreHasFilesToCheck() {
        #expect(Self.coreFiles.count > 30)
    }

    @Test func noCoreFileReachesTheSystem() throws {
        for file in Self.coreFiles {
            let text = Self.code(of: try String(contentsOf: file, encoding: .utf8))
            for pattern in Self.forbidden {
                let found = text.range(of: pattern, options: .regularExpression) != nil
                #expect(!found, "\(file.lastPathComponent) matches \(pattern)")
            }
        }
    }

    @Test func theCheckCatchesWhatItLooksFor() {
        for bad in ["import Foundation\nimport Glibc", "let p = Process()", "Thread { }.start()", "DispatchQueue.global()", #"open("/proc/1/stat")"#] {
            #expect(Self.forbidden.contains { Self.code(of: bad).range(of: $0, options: .regularExpression) != nil }, "\(bad)")
        }
        #expect(Self.code(of: "/// Foundation `Process` spawns it") == "")
    }
}
