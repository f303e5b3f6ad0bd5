/// The signals the decisions name, by their Linux numbers (the core imports
/// no C library). A port to a system that numbers them otherwise replaces
/// this file.
package enum Signal {
    package static let hangup: Int32 = 1
    package static let interrupt: Int32 = 2
    package static let quit: Int32 = 3
    package static let kill: Int32 = 9
    package static let pipe: Int32 = 13
    package static let terminate: Int32 = 15
    package static let `continue`: Int32 = 18
}

/// Names of the Linux signals, for messages.
package enum SignalName {
    private static let names = [
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ]

    /// `SIGKILL` for 9; `signal 40` for one without a name.
    package static func of(_ signal: Int32) -> String {
        (1...names.count).contains(Int(signal)) ? "SIG" + names[Int(signal) - 1] : "signal \(signal)"
    }
}
