/// The literals that every match of a regular expression contains, one of
/// them at least, read from the pattern without running it: a line that
/// holds none of them cannot match, so the regex never sees it (as fast grep
/// tools do). For `try again|busy` they are "try again" and "busy"; for
/// `(?i)error [0-9]+`, "error" in any case.
///
/// The reading is deliberately narrow: it understands top-level alternation,
/// ASCII literal characters (escaped punctuation included), quantifiers,
/// `.`, anchors, bracketed classes and `\d \w \s \b` (which only end a
/// literal), and a leading `(?i)`. Anything else (groups, lookarounds,
/// backreferences, other escapes and flags, non-ASCII text, a branch with no
/// literal) gives no prefilter, and every line goes to the regex as before.
struct RequiredLiterals: Equatable {
    /// One literal per top-level alternative, in lower case when
    /// `caseInsensitive`.
    let literals: [[UInt8]]
    /// `(?i)`: the literals match in any ASCII case, and a line with a
    /// non-ASCII byte is always a candidate (Unicode case folding maps the
    /// Kelvin sign to `k`, `ſ` to `s`, `ﬁ` to `fi`).
    let caseInsensitive: Bool

    /// More alternatives than this cost more searches than they save.
    static let maximumAlternatives = 16

    /// The literals of `pattern`, or nil where it is not sure of them.
    static func extract(from pattern: String) -> RequiredLiterals? {
        var bytes = Array(pattern.utf8)
        let flag = Array("(?i)".utf8)
        let caseInsensitive = bytes.starts(with: flag)
        if caseInsensitive { bytes.removeFirst(flag.count) }
        var parser = LiteralParser(bytes: bytes)
        guard let branches = parser.parse(), branches.count <= maximumAlternatives else { return nil }
        return RequiredLiterals(literals: caseInsensitive ? branches.map(lowercased) : branches, caseInsensitive: caseInsensitive)
    }

    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 &- 65 < 26 ? $0 | 0x20 : $0 }
    }
}

/// Reads a pattern's top-level branches; for each, the longest run of
/// characters that every match of the branch holds in a row.
private struct LiteralParser {
    let bytes: [UInt8]
    var index = 0
    var run: [UInt8] = []
    var best: [UInt8] = []
    var branches: [[UInt8]] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Punctuation that ICU takes as itself outside a class, unescaped.
    static let plainPunctuation = Set(Array(" !\"#%&',-/:;<=>@_`~".utf8))
    /// Escapes that match one character of a class: they end a literal.
    static let classEscapes = Set(Array("dDwWsS".utf8))
    /// Escapes that match no character (word boundaries): they end one too.
    static let boundaryEscapes = Set(Array("bB".utf8))

    mutating func parse() -> [[UInt8]]? {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "|"):
                guard endBranch() else { return nil }
                index += 1
            case UInt8(ascii: "["):
                guard skipClass(), endAtom() else { return nil }
            case UInt8(ascii: "."):
                index += 1
                guard endAtom() else { return nil }
            case UInt8(ascii: "^"), UInt8(ascii: "$"):
                index += 1
                endRun()
            case UInt8(ascii: "\\"):
                guard escape() else { return nil }
            case _ where Self.isPlain(byte):
                index += 1
                guard literal(byte) else { return nil }
            default:
                // Groups, lookarounds, flags, a stray quantifier or `]`,
                // control and non-ASCII bytes: not understood here.
                return nil
            }
        }
        guard endBranch() else { return nil }
        return branches
    }

    static func isPlain(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || plainPunctuation.contains(byte)
    }

    /// `\` and what follows it.
    mutating func escape() -> Bool {
        guard index + 1 < bytes.count else { return false }
        let next = bytes[index + 1]
        index += 2
        if next < 0x80 && !Self.isAlphanumeric(next) && next > 0x20 && next != 0x7F { return literal(next) }
        if Self.classEscapes.contains(next) { return endAtom() }
        if Self.boundaryEscapes.contains(next) {
            endRun()
            return true
        }
        return false
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isPlain(byte) && !plainPunctuation.contains(byte)
    }

    /// A literal character just read, and its quantifier if any: optional,
    /// it is left out; repeated, the run ends with it ("ab+c" matches
    /// "abbc", which holds "ab" but not "abc").
    mutating func literal(_ byte: UInt8) -> Bool {
        guard let minimum = quantifier() else { return false }
        switch minimum {
        case .none: run.append(byte)
        case .some(0): endRun()
        case .some: run.append(byte); endRun()
        }
        return true
    }

    /// Something that is not a literal (a class, `.`, `\d`) and its
    /// quantifier: the run ends here.
    mutating func endAtom() -> Bool {
        endRun()
        return quantifier() != nil
    }

    /// Reads a quantifier if there is one: `.some(nil)` when there is none,
    /// `.some(minimum)` when there is, nil when it is not understood.
    mutating func quantifier() -> Int?? {
        guard index < bytes.count else { return .some(nil) }
        var minimum: Int
        switch bytes[index] {
        case UInt8(ascii: "*"), UInt8(ascii: "?"): minimum = 0; index += 1
        case UInt8(ascii: "+"): minimum = 1; index += 1
        case UInt8(ascii: "{"):
            guard let bound = interval() else { return nil }
            minimum = bound
        default: return .some(nil)
        }
        // Lazy or possessive: the same characters are required.
        if index < bytes.count, bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        return .some(minimum)
    }

    /// `{n}`, `{n,}` or `{n,m}`: its n.
    mutating func interval() -> Int? {
        var cursor = index + 1
        var minimum = 0
        var digits = 0
        while cursor < bytes.count, bytes[cursor] >= UInt8(ascii: "0"), bytes[cursor] <= UInt8(ascii: "9"), digits < 6 {
            minimum = minimum * 10 + Int(bytes[cursor] - UInt8(ascii: "0"))
            cursor += 1
            digits += 1
        }
        guard digits > 0 else { return nil }
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") || (bytes[cursor] >= UInt8(ascii: "0") && bytes[cursor] <= UInt8(ascii: "9")) {
            cursor += 1
        }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}") else { return nil }
        index = cursor + 1
        return minimum
    }

    /// Skips a bracketed class, nested sets and escapes included. A `]`
    /// first in the class is refused rather than guessed at.
    mutating func skipClass() -> Bool {
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "[") {
                depth += 1
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "^") { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return false }
                continue
            }
            index += 1
            if byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return true }
            }
        }
        return false
    }

    mutating func endRun() {
        if run.count > best.count { best = run }
        run = []
    }

    /// Ends a branch; false when it has no literal (it could match anything).
    mutating func endBranch() -> Bool {
        endRun()
        guard !best.isEmpty else { return false }
        branches.append(best)
        best = []
        return true
    }
}
