/// Paths of state files.
enum PathText {
    /// A state file's path, or a Redis URL (checked here, parsed again
    /// with the password from the environment when the store is opened).
    static func stateFile(_ text: String) throws(InvalidValue) -> String {
        if let scheme = urlScheme(text), !schemes.contains(scheme) {
            throw InvalidValue("\(scheme):// is not a store retry knows; give a file's path or "
                + schemes.map { $0 + "://" }.joined(separator: " or ") + " (a file of that name: write ./\(UsageError.shown(text)))")
        }
        if RedisLocation.isRedis(text) {
            _ = try RedisLocation.parse(text)
            return text
        }
        guard !text.isEmpty else { throw InvalidValue("expected the path of a state file") }
        guard !text.hasSuffix("/") else { throw InvalidValue("names a directory; name a file in it") }
        guard !text.contains("\0"), !text.contains("\n") else { throw InvalidValue("a path cannot hold a NUL or a newline") }
        return text
    }

    /// The URL schemes a breaker or quota may name (RedisLocation's
    /// table); any other `scheme://` is refused, not taken for a path.
    static var schemes: [String] { RedisLocation.schemes.map { String($0.prefix.dropLast(3)) } }

    /// `unix` in `unix:///tmp/x.sock`; nil when `text` is no URL.
    static func urlScheme(_ text: String) -> String? {
        guard let end = text.utf8.firstRange(of: "://".utf8)?.lowerBound else { return nil }
        let scheme = text[..<end]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) else { return nil }
        return scheme.lowercased()
    }
}
