import Foundation
import RetryCore

// The real clock, event source, generator and launcher; everything else is
// in RetryCore. This runs on the main thread, as Foundation `Process` needs.
Syscall.occupyClosedStandardStreams()
let events = SystemEvents()
SignalRelay.install(posting: events)
let host = Host(
    launcher: FoundationLauncher(events: events),
    clock: SystemClock(),
    wallClock: SystemWallClock(),
    events: events,
    random: SystemRandomNumberGenerator(),
    environment: ProcessEnvironment.current(),
    standardOutput: { text throws(Errno) in try Output.writeResult(text) },
    standardError: Output.writeMessage,
    standardErrorIsTerminal: isatty(2) == 1)
switch RetryCommand.run(Array(CommandLine.arguments.dropFirst()), host: host) {
case .exit(let status): exit(status.rawValue)
case .signal(let signal): SignalRelay.die(of: signal)
}
