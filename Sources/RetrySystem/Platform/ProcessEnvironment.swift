import RetryCore
/// `retry`'s own environment, read straight from `environ`.
public enum ProcessEnvironment {
    /// Not `ProcessInfo.processInfo.environment`: setting up `ProcessInfo`
    /// costs 0.26 million instructions more at every start (callgrind).
    public static func current() -> [String: String] {
        var entries: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            entries.append(String(cString: pointer))
            entry += 1
        }
        return variables(from: entries)
    }

    /// Each `NAME=value` entry; where a name repeats, the first wins, as in
    /// `getenv`; an entry without `=` is not a variable.
    static func variables(from entries: [String]) -> [String: String] {
        var variables: [String: String] = [:]
        for text in entries {
            guard let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(text[..<equals])
            if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
        }
        return variables
    }
}
