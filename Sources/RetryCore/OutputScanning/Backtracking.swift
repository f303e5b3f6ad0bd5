/// Tells the regular expressions that can backtrack without end: a group
/// that holds a repetition or an alternative, itself repeated without a
/// bound, as in `(x+x+)+y`, `(a*)*`, `(\w+\s?)+$` or `(a|aa)+b`. Only
/// those are searched under a work limit (`OutputPattern.workLimit`), which
/// costs time on every byte; others are searched at full speed. The test is
/// of the pattern's shape: a risky pattern is not always slow, and a
/// pattern not found risky (a back-reference, say) is not searched under
/// the limit.
enum Backtracking {
    static func isRisky(_ pattern: String) -> Bool {
        let characters = Array(pattern)
        // For each open group: whether it holds a repetition or `|` so far.
        var open: [Bool] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\":
                index += 1
            case "[":
                index = endOfClass(characters, from: index)
            case "(":
                open.append(false)
            case ")":
                let holds = open.popLast() ?? false
                if holds && repeatsWithoutBound(characters, at: index + 1) { return true }
                if holds, !open.isEmpty { open[open.count - 1] = true }
            case "|", "*", "+", "{":
                if !open.isEmpty && (character == "|" || repeatsWithoutBound(characters, at: index)) { open[open.count - 1] = true }
            default:
                break
            }
            index += 1
        }
        return false
    }

    /// Whether a quantifier at `index` allows more than one repetition with
    /// no fixed bound: `*`, `+`, `{n,}`, or `{n,m}` with m over 1.
    private static func repeatsWithoutBound(_ characters: [Character], at index: Int) -> Bool {
        guard index < characters.count else { return false }
        switch characters[index] {
        case "*", "+": return true
        case "{":
            guard let close = characters[index...].firstIndex(of: "}") else { return false }
            let body = String(characters[(index + 1)..<close])
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return (Int(body) ?? 0) > 1 }
            return parts[1].isEmpty || (Int(parts[1]) ?? 0) > 1
        default: return false
        }
    }

    /// The index of the `]` that closes the class opened at `start`.
    private static func endOfClass(_ characters: [Character], from start: Int) -> Int {
        var index = start + 1
        if index < characters.count && characters[index] == "^" { index += 1 }
        if index < characters.count && characters[index] == "]" { index += 1 }
        while index < characters.count && characters[index] != "]" {
            if characters[index] == "\\" { index += 1 }
            index += 1
        }
        return index
    }
}
