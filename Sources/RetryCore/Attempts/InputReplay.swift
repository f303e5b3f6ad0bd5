/// `retry`'s stdin, kept for every attempt to read (`--stdin replay`).
package protocol InputReplay {
    /// Reads all of `retry`'s stdin and keeps it, for every attempt to read
    /// from its start; called once, before the first.
    func keepStandardInput() throws(LaunchFailure)
}
