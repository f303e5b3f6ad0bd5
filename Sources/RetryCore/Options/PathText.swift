/// Paths of state files.
enum PathText {
    /// A state file's path, or a Redis URL (checked here, parsed again
    /// with the password from the environment when the store is opened).
    static func stateFile(_ text: String) throws(InvalidValue) -> String {
        if RedisLocation.isRedis(text) {
            _ = try RedisLocation.parse(text)
            return text
        }
        guard !text.isEmpty else { throw InvalidValue("expected the path of a state file") }
        guard !text.hasSuffix("/") else { throw InvalidValue("names a directory; name a file in it") }
        guard !text.contains("\0"), !text.contains("\n") else { throw InvalidValue("a path cannot hold a NUL or a newline") }
        return text
    }
}
