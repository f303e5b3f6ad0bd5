/// The configuration being built, plus what the user said explicitly, which
/// the cross-option checks need.
struct ParsedOptions {
    var configuration = Configuration()
    var action = Action.run
    var given: Set<OptionName> = []

    enum Action { case run, help, version }
}
