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

    /// `retry --help` as a user sees it: 80 columns, options under their
    /// headings in the table's order, and three examples at the end.
    func testHelpFitsEightyColumnsGroupsTheOptionsAndEndsWithExamples() throws {
        let help = try RetryBinary.run("--help")
        XCTAssertEqual(help.status, 0)
        XCTAssertEqual(help.stdout, HelpText.usage)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        var headings: [String] = []
        for group in OptionGroup.allCases {
            let heading = lines.firstIndex(of: Substring(group.rawValue + ":"))
            XCTAssertNotNil(heading, group.rawValue)
            headings.append(group.rawValue)
            // Under the heading, up to the blank line: that group's options, in order.
            let body = lines[(heading ?? 0)...].dropFirst().prefix { !$0.isEmpty }
            let listed = body.compactMap { $0.firstMatch(of: /^ {2}(?:-\w, |    )--([a-z-]+)/).map { String($0.1) } }
            XCTAssertEqual(listed, OptionSpec.all.filter { $0.group == group }.map(\.long), group.rawValue)
        }
        let examples = lines.drop { $0 != "Examples:" }.dropFirst().prefix { !$0.isEmpty }
        XCTAssertEqual(examples.filter { $0.hasPrefix("  retry ") }.count, 3, examples.joined(separator: "\n"))
        // Each example is a command line retry accepts.
        for example in examples where example.hasPrefix("  retry ") {
            let words = try XCTUnwrap(shellWords(String(example.dropFirst(8))))
            XCTAssertNoThrow(try CommandLineParser.parse(["--dry-run"] + words), String(example))
        }
    }

    /// The man page shows the same three examples near its top, before the
    /// list of options, not only in EXAMPLES near the end.
    func testTheManPageShowsTheHelpsExamplesEarly() throws {
        let page = try read("man/retry.1").replacingOccurrences(of: " \\e\n    ", with: " ")
        let optionsStart = try XCTUnwrap(page.range(of: "The options are as follows:")).lowerBound
        let examples = HelpText.usage.split(separator: "\n").filter { $0.hasPrefix("  retry ") }
        XCTAssertEqual(examples.count, 3)
        for example in examples {
            let found = try XCTUnwrap(page.range(of: "\n" + example.dropFirst(2) + "\n"), String(example))
            XCTAssertLessThan(found.lowerBound, optionsStart, String(example))
        }
    }

    /// Splits a simple command line (words, '...' and "..." quotes) as sh
    /// would, without expansions.
    func shellWords(_ line: String) -> [String]? {
        var words: [String] = [], word = "", quote: Character?, inWord = false
        for character in line {
            switch character {
            case "'" where quote == nil, "\"" where quote == nil: quote = character; inWord = true
            case _ where character == quote: quote = nil
            case " " where quote == nil:
                if inWord { words.append(word) }
                word = ""; inWord = false
            default: word.append(character); inWord = true
            }
        }
        if inWord { words.append(word) }
        return quote == nil ? words : nil
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

    /// The completions and the man page's list of options are generated
    /// from the option table; a committed file that differs from what
    /// `make generate` would write fails here, naming the command to run.
    func testTheGeneratedFilesAreUpToDate() throws {
        for file in GeneratedFile.allCases {
            let committed = try read(file.path)
            let expected: String
            if file == .man {
                XCTAssertTrue(committed.contains("\n" + ManualOptionList.begin + "\n"), "man/retry.1 lacks its begin marker")
                expected = try XCTUnwrap(ManualOptionList.splice(into: committed), "man/retry.1 lacks its markers")
            } else {
                expected = file.text
            }
            XCTAssertTrue(committed == expected, "\(file.path) differs from what the option table generates; run make generate")
        }
    }

    /// `retry --generate` prints each file as the test above expects it.
    func testTheHiddenGenerateOptionPrintsEachFile() throws {
        for file in GeneratedFile.allCases where file != .man {
            let output = try RetryBinary.run("--generate", file.rawValue)
            XCTAssertEqual(output.status, 0, file.rawValue)
            XCTAssertTrue(output.stdout == file.text, file.rawValue)
        }
        let page = try read("man/retry.1")
        let man = try RetryBinary.run(["--generate", "man"], input: page)
        XCTAssertEqual(man.status, 0, man.stderr)
        XCTAssertTrue(man.stdout == ManualOptionList.splice(into: page), "retry --generate man")
        let bogus = try RetryBinary.run("--generate", "troff")
        XCTAssertEqual(bogus.status, 125)
        XCTAssertEqual(bogus.stderr, "retry: --generate: 'troff': expected one of man, bash, zsh, fish\n")
    }

    /// retry(1) is a reference: as `MANWIDTH=80 man -l man/retry.1` shows
    /// it, at most 800 lines, none wider than 80 columns, the standard
    /// sections in mdoc's order, and EXAMPLES found by the first search.
    func testTheManPageIsAShortReference() throws {
        let man = ["/usr/bin/man", "/bin/man"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let man else { throw XCTSkip("man is not installed (apt-get install man-db; .ci/run does it)") }
        var environment = ProcessInfo.processInfo.environment
        environment["MAN_KEEP_FORMATTING"] = nil
        let result = try RetryBinary.runInShell(#"MANWIDTH=80 exec "$2" -l "$3""#, arguments: [man, Self.root.appendingPathComponent("man/retry.1").path],
                                                environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThanOrEqual(lines.count, 800)
        for line in lines where line.count > 80 { XCTFail("wider than 80 columns (\(line.count)): \(line)") }
        let headings = lines.filter { $0.first?.isUppercase == true && $0.allSatisfy { $0.isUppercase || $0 == " " } }.map(String.init)
        let standard = ["NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "DIAGNOSTICS", "SEE ALSO"]
        XCTAssertEqual(headings.filter(standard.contains), standard)
        let firstExamples = lines.firstIndex { $0.contains("EXAMPLES") }
        XCTAssertEqual(firstExamples.map { String(lines[$0]) }, "EXAMPLES", "the first match of /EXAMPLES is the section")
    }

    /// The README is read in minutes; the rest is in docs/, and every
    /// relative link of the README, ARCHITECTURE.md and docs/ leads to a file.
    func testTheReadmeIsShortAndEveryLinkResolves() throws {
        let readme = try read("README.md")
        XCTAssertLessThanOrEqual(readme.split(separator: "\n", omittingEmptySubsequences: false).count, 300)
        let docs = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        XCTAssertTrue(docs.contains("docs/fleets.md"), "\(docs)")
        for page in ["README.md", "ARCHITECTURE.md"] + docs {
            let text = try read(page)
            let directory = URL(fileURLWithPath: page).deletingLastPathComponent().relativePath
            for match in text.matches(of: /\]\(([^)#:\s]+)(#[^)]*)?\)/) {
                let target = URL(fileURLWithPath: directory == "." ? String(match.1) : directory + "/" + match.1,
                                 relativeTo: Self.root).standardizedFileURL.path
                XCTAssertTrue(FileManager.default.fileExists(atPath: target), "\(page) links to \(match.1), which does not exist")
            }
        }
    }

    /// Every `retry` command line in the README's code blocks (after `$ `,
    /// `run: ` or a crontab's path, `\\` continuations joined) is one retry
    /// accepts, and the two transcripts reproduce: the default schedule
    /// exactly, the failed run with its random delays masked.
    func testEveryReadmeExampleReproduces() throws {
        let readme = try read("README.md")
        var commands: [String] = [], inBlock = false, pending = ""
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inBlock.toggle(); pending = ""; continue }
            guard inBlock else { continue }
            if !pending.isEmpty {
                pending += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let start = line.range(of: #"(^|\$ |run: |/bin/)retry "#, options: .regularExpression) {
                pending = String(line[start.upperBound...])
            } else {
                continue
            }
            if pending.hasSuffix("\\") { pending = String(pending.dropLast()); continue }
            commands.append(pending)
            pending = ""
        }
        XCTAssertGreaterThanOrEqual(commands.count, 8, "\(commands)")
        for command in commands {
            let words = try XCTUnwrap(shellWords(command), command)
            XCTAssertNoThrow(try CommandLineParser.parse(["--dry-run"] + words), command)
        }
        // Set-up: `swift run retry --dry-run` and the block after it.
        let setUp = try XCTUnwrap(readme.range(of: "The first builds `retry` and prints the default schedule of delays:\n\n```\n"))
        let printed = readme[setUp.upperBound...].prefix { $0 != "`" }
        XCTAssertEqual(try RetryBinary.run("--dry-run").stdout, String(printed))
        // The failed run.
        let transcript = try XCTUnwrap(readme.range(of: "$ retry -n 3 -- sh -c 'exit 7'\n"))
        let shown = readme[transcript.upperBound...].prefix { $0 != "$" }.split(separator: "\n").map(String.init)
        let run = try RetryBinary.run("-n", "3", "--", "sh", "-c", "exit 7")
        XCTAssertEqual(run.status, 7)
        let masked = { (lines: [String]) in lines.map { $0.replacing(/next in \S+$/, with: "next in D") } }
        XCTAssertEqual(masked(run.stderrLines), masked(shown))
    }

    func testTheReadmeListsEveryOption() throws {
        let readme = try read("README.md")
        for name in longNames { XCTAssertTrue(readme.contains("--\(name)"), name) }
    }
}
