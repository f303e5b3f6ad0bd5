import Foundation
import RetryCore
import XCTest

/// The option table is the truth: `--help`, the man page and the three
/// completion files must name exactly its options, no fewer and no stale ones.
final class DocumentationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let longNames = Set(OptionSpec.all.map(\.long))
    let shortNames = Set(OptionSpec.all.compactMap { $0.short.map(String.init) })

    func read(_ path: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every capture of `pattern`'s first group in `text`.
    func captures(_ pattern: String, in text: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern, options: .anchorsMatchLines)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).map { String(text[Range($0.range(at: 1), in: text)!]) })
    }

    func testHelpListsEveryOption() {
        for spec in OptionSpec.all {
            XCTAssertTrue(HelpText.usage.contains("--\(spec.long)"), spec.long)
            if let short = spec.short { XCTAssertTrue(HelpText.usage.contains("-\(short), --\(spec.long)"), spec.long) }
        }
        for row in ExitStatus.table { XCTAssertTrue(HelpText.usage.contains(row.meaning), row.status) }
    }

    func testTheManPageDescribesExactlyTheOptions() throws {
        let page = try read("man/retry.1").replacingOccurrences(of: "\\-", with: "-")
        let items = page.split(separator: "\n").filter { $0.hasPrefix(".It Fl") }.joined(separator: "\n")
        XCTAssertEqual(try captures(#"Fl -([a-z][a-z-]+)"#, in: items), longNames)
        XCTAssertEqual(try captures(#"Fl ([a-zA-Z])\b"#, in: items), shortNames)
        for row in ExitStatus.table where row.status.allSatisfy(\.isNumber) {
            XCTAssertTrue(page.contains(".It \(row.status)"), "EXIT STATUS lacks \(row.status)")
        }
    }

    func testBashCompletesEveryOption() throws {
        let script = try read("completions/retry.bash")
        XCTAssertTrue(longNames.isSubset(of: try captures(#"(?<![\w-])--([a-z][a-z-]+)"#, in: script)))
        for short in shortNames { XCTAssertTrue(script.contains("-\(short)"), short) }
    }

    func testZshCompletesExactlyTheOptions() throws {
        let script = try read("completions/_retry")
        XCTAssertEqual(try captures(#"(?<![\w-])--([a-z][a-z-]+)"#, in: script), longNames)
        XCTAssertEqual(try captures(#"\{-([a-zA-Z])\+?,"#, in: script), shortNames)
    }

    func testFishCompletesExactlyTheOptions() throws {
        let script = try read("completions/retry.fish")
        let lines = script.split(separator: "\n").filter { $0.hasPrefix("complete -c retry") }.joined(separator: "\n")
        XCTAssertEqual(try captures(#" -l ([a-z][a-z-]+)"#, in: lines), longNames)
        XCTAssertEqual(try captures(#" -s ([a-zA-Z])\b"#, in: lines), shortNames)
    }

    func testTheReadmeListsEveryOption() throws {
        let readme = try read("README.md")
        for name in longNames { XCTAssertTrue(readme.contains("--\(name)"), name) }
    }
}
