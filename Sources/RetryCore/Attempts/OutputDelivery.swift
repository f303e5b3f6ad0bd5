/// `retry`'s stdout, which carries the commands' output.
package protocol OutputDelivery {
    /// Writes the held-back stdout of the last attempt (`--hold-output`);
    /// says what was lost when it could not all be written.
    func publishHeldOutput() -> OutputLoss?

    /// Whether `retry`'s stdout is a pipe whose reader has gone, so that
    /// whatever another attempt writes is lost and it dies of SIGPIPE.
    func outputReaderIsGone() -> Bool
}
