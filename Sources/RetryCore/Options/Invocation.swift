/// What the command line asks for.
package enum Invocation: Equatable {
    case run(Configuration)
    case help
    case version
}
