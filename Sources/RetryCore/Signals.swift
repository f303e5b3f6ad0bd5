/// Names of the Linux signals, for messages.
public enum SignalName {
    private static let names = [
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ]

    /// `SIGKILL` for 9; `signal 40` for one without a name.
    public static func of(_ signal: Int32) -> String {
        (1...names.count).contains(Int(signal)) ? "SIG" + names[Int(signal) - 1] : "signal \(signal)"
    }
}
