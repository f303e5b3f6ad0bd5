import RetryCore

/// `retry`'s arguments and environment as the bytes it was given. Swift's
/// `String` turns bytes that are not UTF-8 into U+FFFD, so `ls $'caf\xe9'`
/// would look for another file; the command gets these bytes instead.
enum RawCommandLine {
    /// The bytes of `arguments`, which are the last of `retry`'s own (the
    /// command and its arguments always come last); an argument that is not
    /// one of them, decoded, keeps its UTF-8.
    static func bytes(of arguments: [String]) -> [[UInt8]] {
        let count = Int(CommandLine.argc)
        let offset = count - arguments.count
        return arguments.enumerated().map { index, argument in
            guard offset + index >= 1, let pointer = CommandLine.unsafeArgv[offset + index] else { return Array(argument.utf8) }
            let raw = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                                count: strlen(pointer)))
            return String(decoding: raw, as: UTF8.self) == argument ? raw : Array(argument.utf8)
        }
    }

    /// An environment entry that is not UTF-8: its name and value as Swift
    /// decoded them (with U+FFFD), and its bytes.
    struct Entry {
        let name: String
        let value: String
        let bytes: [UInt8]
    }

    /// The entries of `retry`'s environment that are not UTF-8, read once.
    static let nonUTF8Environment: [Entry] = {
        var entries: [Entry] = []
        var entry = environ
        while let pointer = entry.pointee {
            entry += 1
            let raw = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                                count: strlen(pointer)))
            guard raw.contains(where: { $0 >= 0x80 }), String(validating: raw, as: UTF8.self) == nil, let equals = raw.firstIndex(of: UInt8(ascii: "=")) else { continue }
            entries.append(Entry(name: String(decoding: raw[..<equals], as: UTF8.self),
                                 value: String(decoding: raw[(equals + 1)...], as: UTF8.self), bytes: raw))
        }
        return entries
    }()

    /// Splits `environment` into what Foundation can pass (UTF-8) and the
    /// entries, as bytes, that stand for the rest: an entry the core left as
    /// it found it in `retry`'s environment is passed as received.
    static func split(_ environment: [String: String]) -> (text: [String: String], bytes: [[UInt8]]) {
        var text = environment
        var bytes: [[UInt8]] = []
        for entry in nonUTF8Environment where text[entry.name] == entry.value {
            text[entry.name] = nil
            bytes.append(entry.bytes)
        }
        return (text, bytes)
    }
}
