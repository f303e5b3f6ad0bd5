/// Everything the attempt loop asks of the system about a command, in five
/// small protocols by job: starting it and ending its attempt
/// (`ProcessStarter`), reaching its process group (`GroupSignaller`),
/// Ctrl-Z (`JobControl`), `retry`'s stdout (`OutputDelivery`) and stdin
/// (`InputReplay`). The real one spawns with Foundation `Process`; the
/// tests' one simulates processes in fake time. A started command reports
/// its end through the `EventSource`.
package typealias ProcessLauncher = ProcessStarter & GroupSignaller & JobControl & OutputDelivery & InputReplay
