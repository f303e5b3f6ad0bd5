import Foundation
import Testing

/// The core decides and nothing else: it must not reach the system itself.
@Suite struct CorePurityTests {
    /// Words that mean the file reaches the OS: the C library, processes,
    /// threads, queues or `/proc`.
    static let forbidden = [#"(?m)^\s*(@_exported\s+)?import\s+(Glibc|Darwin|Musl)\b"#, #"\bProcess\b"#, #"\bThread\b"#,
                            #"\bDispatchQueue\b"#, #"/proc\b"#]

    static var coreFiles: [URL] { swiftFiles(under: "Sources/RetryCore") }

    /// The Swift files below `folder` of the package.
    static func swiftFiles(under folder: String) -> [URL] {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(folder)
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

    /// The modules a core file may import besides the standard library
    /// (which needs no import), by file. Foundation re-exports the C
    /// library, so a core file that imports it can reach the system.
    static let allowedImports: [String: Set<String>] = [
        // ICU's regular expressions (NSRegularExpression) have no
        // equivalent in the standard library.
        "OutputPattern.swift": ["Foundation"],
    ]

    /// The module each `import` line of `code` names (`import struct
    /// Foundation.Date` names Foundation), attributes such as
    /// `@_exported` or `@preconcurrency` and access levels allowed for.
    static func importedModules(_ code: String) -> [String] {
        code.split(separator: "\n").compactMap { line in
            var words = line.split(separator: " ").map(String.init)
            while let first = words.first, first.hasPrefix("@") || ["public", "package", "internal", "private", "fileprivate"].contains(first) {
                words.removeFirst()
            }
            guard words.first == "import", words.count > 1 else { return nil }
            let kinds: Set = ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var"]
            let path = kinds.contains(words[1]) && words.count > 2 ? words[2] : words[1]
            return String(path.prefix { $0 != "." })
        }
    }

    @Test func coreFilesImportOnlyTheStandardLibrary() throws {
        for file in Self.coreFiles {
            let allowed = Self.allowedImports[file.lastPathComponent] ?? []
            for module in Self.importedModules(Self.code(of: try String(contentsOf: file, encoding: .utf8))) {
                #expect(allowed.contains(module), "\(file.lastPathComponent) imports \(module)")
            }
        }
    }

    @Test func theImportCheckSeesEveryFormOfImport() {
        #expect(Self.importedModules("import Foundation") == ["Foundation"])
        #expect(Self.importedModules("@_exported import Glibc\n  @preconcurrency import Dispatch") == ["Glibc", "Dispatch"])
        #expect(Self.importedModules("import struct Foundation.Date\ninternal import Darwin.C") == ["Foundation", "Darwin"])
        #expect(Self.importedModules(Self.code(of: "/// import Foundation\nlet x = 1")) == [])
        #expect(Self.importedModules("let important = 1\nimporter()") == [])
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
