import Foundation
import RetryCore
import XCTest

/// The three completion files load in their shells, and completing a few
/// command lines offers what it should. Each test is skipped, with a message,
/// when its shell is not installed.
final class CompletionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let completions = root.appendingPathComponent("completions")
    static let strategies: Set<String> = ["constant", "linear", "exponential", "decorrelated"]

    // MARK: Running a shell

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The non-empty lines of stdout, trimmed; for fish, without the
        /// description after a tab.
        var words: [String] {
            stdout.split(separator: "\n").map { line in
                String(line.split(separator: "\t", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        }
    }

    /// The path of `name` in PATH, or a skip that says it is missing.
    func shell(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw XCTSkip("\(name) is not installed (not in PATH), so this is not tested")
    }

    /// Runs `executable` with `arguments` and no stdin in the repository
    /// root; kills it if it takes more than `limit` seconds.
    func run(_ executable: String, _ arguments: [String], limit: Double = 60) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
        let (out, err) = readToEnd(stdout, stderr)
        process.waitUntilExit()
        watchdog.cancel()
        return Output(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// Checks the syntax of `file` with `shell -n`.
    func checkSyntax(_ shellName: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try run(try shell(shellName), ["-n", Self.completions.appendingPathComponent(name).path])
        XCTAssertEqual(output.status, 0, "\(shellName) -n completions/\(name): \(output.stderr)", file: file, line: line)
        XCTAssertEqual(output.stderr, "", "\(shellName) -n completions/\(name)", file: file, line: line)
    }

    // MARK: The files load

    func testTheBashCompletionParses() throws { try checkSyntax("bash", "retry.bash") }
    func testTheZshCompletionParses() throws { try checkSyntax("zsh", "_retry") }
    func testTheFishCompletionParses() throws { try checkSyntax("fish", "retry.fish") }

    // MARK: bash

    /// bash-completion's main script, when installed: with it loaded, the
    /// command after retry's options gets its own completion.
    static let bashCompletion = ["/usr/share/bash-completion/bash_completion", "/etc/bash_completion"]
        .first { FileManager.default.fileExists(atPath: $0) }

    /// Sources the completion file (after bash-completion when `framework`
    /// is given), finds the function it registers for retry with
    /// `complete -p retry`, sets COMP_WORDS, COMP_CWORD, COMP_LINE and
    /// COMP_POINT for the cursor at the end of the last word, calls the
    /// function as bash would, and prints COMPREPLY, one a line.
    static let bashDriver = #"""
        file=$1 framework=$2
        shift 2
        if [[ $framework ]]; then source "$framework" || exit 3; fi
        source "$file" || exit 3
        spec=$(complete -p retry) || { echo "completions/retry.bash registers no completion for retry" >&2; exit 3; }
        [[ $spec =~ -F\ ([^ ]+) ]] || { echo "not a completion function: $spec" >&2; exit 3; }
        function=${BASH_REMATCH[1]}
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        COMP_TYPE=9 COMP_KEY=9
        "$function" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\n' "${COMPREPLY[@]}"
        """#

    /// What bash offers for the command line `words`, the last of them
    /// under the cursor ("" for the cursor after a space).
    func bashCompletes(_ words: [String], withBashCompletion framework: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let bash = try shell("bash")
        let output = try run(bash, ["--norc", "--noprofile", "-c", Self.bashDriver, "bash",
                                    Self.completions.appendingPathComponent("retry.bash").path, framework ?? ""] + words)
        XCTAssertEqual(output.status, 0, "completing \(words): \(output.stderr)", file: file, line: line)
        return output.words
    }

    /// Runs `check` without bash-completion, then with it when installed.
    func inBothBashSetups(_ check: (String?) throws -> Void) throws {
        try check(nil)
        if let framework = Self.bashCompletion { try check(framework) }
    }

    func testBashCompletesALongOption() throws {
        _ = try shell("bash")  // skips here, not inside an assertion
        try inBothBashSetups { framework in
            XCTAssertEqual(try bashCompletes(["retry", "--str"], withBashCompletion: framework), ["--strategy"])
            XCTAssertEqual(try Set(bashCompletes(["retry", "-n", "3", "--st"], withBashCompletion: framework)),
                           Self.longOptions(startingWith: "st"))
        }
    }

    func testBashCompletesTheStrategyNames() throws {
        _ = try shell("bash")  // skips here, not inside an assertion
        try inBothBashSetups { framework in
            XCTAssertEqual(try Set(bashCompletes(["retry", "--strategy", ""], withBashCompletion: framework)), Self.strategies)
            XCTAssertEqual(try Set(bashCompletes(["retry", "-q", "-s", ""], withBashCompletion: framework)), Self.strategies)
            // bash splits `--strategy=li` into `--strategy`, `=`, `li`.
            XCTAssertEqual(try bashCompletes(["retry", "--strategy", "=", "li"], withBashCompletion: framework), ["linear"])
        }
    }

    func testBashCompletesTheCommand() throws {
        _ = try shell("bash")  // skips here, not inside an assertion
        try inBothBashSetups { framework in
            let setup = framework == nil ? "without bash-completion" : "with bash-completion"
            XCTAssertTrue(try bashCompletes(["retry", "-n", "3", "--", "ech"], withBashCompletion: framework).contains("echo"), setup)
            XCTAssertTrue(try bashCompletes(["retry", "--", "ech"], withBashCompletion: framework).contains("echo"), setup)
            // The first word that is not an option starts the command too.
            XCTAssertTrue(try bashCompletes(["retry", "-n", "3", "ech"], withBashCompletion: framework).contains("echo"), setup)
            // After `--`, `--str` is the command's name, not retry's option.
            XCTAssertFalse(try bashCompletes(["retry", "--", "--str"], withBashCompletion: framework).contains("--strategy"), setup)
        }
    }

    func testBashHandsOverToTheCommandsCompletion() throws {
        guard let framework = Self.bashCompletion else {
            throw XCTSkip("bash-completion is not installed (apt-get install bash-completion); the hand-over is not tested")
        }
        _ = try shell("bash")  // skips here, not inside an assertion
        _ = try shell("ls")
        XCTAssertTrue(try bashCompletes(["retry", "--", "ls", "--al"], withBashCompletion: framework).contains("--all"))
        XCTAssertTrue(try bashCompletes(["retry", "-n", "3", "ls", "--al"], withBashCompletion: framework).contains("--all"))
    }

    // MARK: zsh

    /// Starts an interactive `zsh -f` on a pseudo-terminal (zsh/zpty) with
    /// the completions directory first on fpath and compinit run, waits for
    /// its prompt, types the line and a Tab, and prints every match the
    /// completion system was given (a wrapper around compadd records them),
    /// then END once the completion widget has returned.
    static let zshDriver = #"""
        zmodload zsh/zpty || exit 3
        zmodload zsh/datetime || exit 3
        local dir=$1 typed=$2 out=$3
        zpty z zsh -f -i
        zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
        zpty -w z "compadd() {
          if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi
          local -a __hits; builtin compadd -A __hits \"\$@\"
          (( \$#__hits )) && print -rl -- \$__hits >> ${(q)out}
          builtin compadd \"\$@\"
        }"
        zpty -w z "zc-complete() { zle complete-word; print -r -- END >> ${(q)out} }; zle -N zc-complete; bindkey '^I' zc-complete"
        zpty -w z "zstyle ':completion:*' menu no; print -r -- SET''UP"
        # Wait for the set-up to be done, so that the Tab is not typeahead.
        local seen= chunk
        float deadline=$(( EPOCHREALTIME + 20 ))
        while [[ $seen != *SETUP* ]]; do
          (( EPOCHREALTIME < deadline )) || { print -u2 "zsh did not start: $seen"; exit 4; }
          if zpty -r -t z chunk; then seen+=$chunk; else sleep 0.02; fi
        done
        zpty -w -n z "$typed"$'\t'
        until [[ -f $out && $(<$out) == (*$'\n'|)END ]]; do
          (( EPOCHREALTIME < deadline )) || { print -u2 "the completion did not finish"; exit 4; }
          zpty -r -t z chunk
          sleep 0.02
        done
        zpty -d z
        """#

    /// Skips the test unless zsh and its zsh/zpty module are there (here,
    /// not inside an assertion, where a skip would count as an error).
    func requireZpty() throws {
        let output = try run(try shell("zsh"), ["-f", "-c", "zmodload zsh/zpty"])
        if output.status != 0 { throw XCTSkip("zsh lacks the zsh/zpty module; its completion is not run: \(output.stderr)") }
    }

    /// What zsh offers when `typed` is typed after its prompt, then Tab.
    func zshCompletes(_ typed: String, file: StaticString = #filePath, line: UInt = #line) throws -> Set<String> {
        let zsh = try shell("zsh")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("retry-zsh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let output = try run(zsh, ["-f", "-c", Self.zshDriver, "zsh", Self.completions.path, typed, out.path])
        XCTAssertEqual(output.status, 0, "completing \(typed.debugDescription): \(output.stderr)", file: file, line: line)
        let matches = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        return Set(matches.split(separator: "\n").map(String.init)).subtracting(["END"])
    }

    func testZshCompletesALongOption() throws {
        try requireZpty()
        XCTAssertEqual(try zshCompletes("retry --str"), ["--strategy"])
        XCTAssertEqual(try Set(zshCompletes("retry -n3 --st")), Self.longOptions(startingWith: "st"))
    }

    func testZshCompletesTheStrategyNames() throws {
        try requireZpty()
        XCTAssertEqual(try zshCompletes("retry --strategy "), Self.strategies)
        XCTAssertEqual(try zshCompletes("retry -q -s "), Self.strategies)
        XCTAssertEqual(try zshCompletes("retry --strategy=li"), ["linear"])
    }

    func testZshCompletesTheCommand() throws {
        try requireZpty()
        XCTAssertTrue(try zshCompletes("retry -n 3 -- ech").contains("echo"))
        XCTAssertTrue(try zshCompletes("retry -- ech").contains("echo"))
        XCTAssertTrue(try zshCompletes("retry -n 3 ech").contains("echo"))
    }

    func testZshHandsOverToTheCommandsCompletion() throws {
        try requireZpty()
        XCTAssertTrue(try zshCompletes("retry -n 3 -- ls --al").contains("--all"))
        XCTAssertTrue(try zshCompletes("retry -n 3 ls --al").contains("--all"))
    }

    /// `retry -- ls --al`, with `--` right after `retry`: _arguments leaves
    /// the `--` in `words` for the `*::arguments` spec; completions/_retry
    /// drops it before calling _normal, or the arguments of a command named
    /// `--` would be completed and nothing offered.
    func testZshHandsOverAfterALeadingDashDash() throws {
        try requireZpty()
        XCTAssertTrue(try zshCompletes("retry -- ls --al").contains("--all"))
    }

    // MARK: fish

    /// What fish offers for `commandline` (`complete -C`), with
    /// completions/retry.fish sourced and no user configuration.
    func fishCompletes(_ commandline: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let fish = try shell("fish")
        let script = "source \(Self.completions.appendingPathComponent("retry.fish").path.debugDescription); complete -C $argv[1]"
        let output = try run(fish, ["--no-config", "-c", script, commandline])
        XCTAssertEqual(output.status, 0, "completing \(commandline.debugDescription): \(output.stderr)", file: file, line: line)
        return output.words
    }

    func testFishCompletesALongOption() throws {
        _ = try shell("fish")  // skips here, not inside an assertion
        XCTAssertEqual(try fishCompletes("retry --str"), ["--strategy"])
        XCTAssertEqual(try Set(fishCompletes("retry -n 3 --st")), Self.longOptions(startingWith: "st"))
    }

    func testFishCompletesTheStrategyNames() throws {
        _ = try shell("fish")  // skips here, not inside an assertion
        XCTAssertEqual(try Set(fishCompletes("retry --strategy ")), Self.strategies)
        XCTAssertEqual(try Set(fishCompletes("retry -q -s ")), Self.strategies)
    }

    func testFishCompletesTheCommand() throws {
        _ = try shell("fish")  // skips here, not inside an assertion
        XCTAssertTrue(try fishCompletes("retry -n 3 -- ech").contains("echo"))
        XCTAssertTrue(try fishCompletes("retry -- ech").contains("echo"))
        XCTAssertTrue(try fishCompletes("retry -n 3 ech").contains("echo"))
        XCTAssertFalse(try fishCompletes("retry -- --str").contains("--strategy"))
    }

    /// The option table's long options with this prefix, as `--name`.
    static func longOptions(startingWith prefix: String) -> Set<String> {
        Set(OptionSpec.all.map(\.long).filter { $0.hasPrefix(prefix) }.map { "--" + $0 })
    }
}
