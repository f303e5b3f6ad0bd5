#if canImport(Glibc)
import Glibc
#endif

/// `retry`'s own environment, read straight from `environ`.
public enum ProcessEnvironment {
    /// Each `NAME=value` entry; where a name repeats, the first wins, as in
    /// `getenv`. Not `ProcessInfo.processInfo.environment`: setting up
    /// `ProcessInfo` was a quarter of the instructions `retry -- true` ran.
    public static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(text[..<equals])
                if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
            }
            entry += 1
        }
        return variables
    }
}
