/// The commands of hooks, given to `/bin/sh -c` as they are.
enum HookText {
    static func command(_ text: String) throws(InvalidValue) -> String {
        guard text.contains(where: { !$0.isWhitespace }) else { throw InvalidValue("expected a shell command, like 'rm -f half-done.tmp'") }
        guard !text.contains("\0") else { throw InvalidValue("a command cannot hold a NUL") }
        return text
    }
}
