import RetryCore
/// Lends the controlling terminal to the command's process group and takes
/// it back, as a shell does for a foreground job. Foundation puts the command
/// in a group of its own, and a process that reads the terminal from a group
/// that is not the foreground one is stopped by SIGTTIN (`ssh` asking for a
/// password would hang).
enum Terminal {
    /// Makes `group` the foreground group if stdin is a terminal and `retry`
    /// is in its foreground; returns whether it did.
    static func lend(to group: pid_t) -> Bool {
        guard isatty(0) == 1, tcgetpgrp(0) == getpgrp() else { return false }
        guard tcsetpgrp(0, group) == 0 else { return false }
        // It may have read the terminal before it was handed over and been
        // stopped for it; wake it.
        kill(-group, SIGCONT)
        return true
    }

    /// Takes the terminal back for `retry`'s own group.
    static func reclaim() {
        // From the background, tcsetpgrp raises SIGTTOU unless it is blocked.
        var ttou = sigset_t(), previous = sigset_t()
        sigemptyset(&ttou)
        sigaddset(&ttou, SIGTTOU)
        pthread_sigmask(SIG_BLOCK, &ttou, &previous)
        tcsetpgrp(0, getpgrp())
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
