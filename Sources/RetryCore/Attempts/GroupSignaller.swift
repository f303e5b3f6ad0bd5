/// Reaches a started command's process group: signals it, and asks
/// whether anything of it is left.
package protocol GroupSignaller {
    /// Sends `signal` to every process in the group `group`.
    func signalGroup(_ group: Int32, _ signal: Int32)

    /// Whether any process of the group is still alive (zombies excluded),
    /// so teardown knows when nothing is left to kill.
    func groupIsAlive(_ group: Int32) -> Bool
}
