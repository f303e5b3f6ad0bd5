import RetryCore
/// `retry`'s own environment, read straight from `environ`.
package enum ProcessEnvironment {
    /// Not `ProcessInfo.processInfo.environment`: setting up `ProcessInfo`
    /// costs 0.26 million instructions more at every start (callgrind).
    /// Each entry is split as bytes, without a `String` of the whole entry
    /// or an array of them: 0.24 million instructions down to about 0.1
    /// (most of what is left is the first dictionary of strings, whose
    /// metadata the runtime looks up once per process).
    package static func current() -> [String: String] {
        var count = 0
        while environ[count] != nil { count += 1 }
        var variables = [String: String](minimumCapacity: count)
        // Backwards, so that the first of a repeated name is stored last
        // and wins without a look-up per variable.
        for index in (0..<count).reversed() {
            guard let entry = environ[index] else { continue }
            add(UnsafeRawBufferPointer(start: entry, count: strlen(entry)), to: &variables)
        }
        return variables
    }

    /// Each `NAME=value` entry; where a name repeats, the first wins, as in
    /// `getenv`; an entry without `=` is not a variable.
    static func variables(from entries: [String]) -> [String: String] {
        var variables: [String: String] = [:]
        for text in entries.reversed() {
            var text = text
            text.withUTF8 { add(UnsafeRawBufferPointer($0), to: &variables) }
        }
        return variables
    }

    /// Stores one `NAME=value` entry; call it on the entries last first.
    private static func add(_ entry: UnsafeRawBufferPointer, to variables: inout [String: String]) {
        guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { return }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: entry[..<equals]), as: UTF8.self)
        variables[name] = String(decoding: UnsafeRawBufferPointer(rebasing: entry[(equals + 1)...]), as: UTF8.self)
    }
}
