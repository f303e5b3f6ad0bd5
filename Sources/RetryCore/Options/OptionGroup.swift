/// What an option is for: the headings of `--help`, in their order.
package enum OptionGroup: String, CaseIterable, Sendable {
    case attempts = "How often and how long apart"
    case decisions = "Which failures are retried"
    case time = "Time limits"
    case hooks = "Hooks (run with sh -c)"
    case io = "The command's input, output and environment"
    case shared = "Across runs (state files shared by runs)"
    case messages = "Messages"
    case other = "Other"
}
