import CRetry
import RetryCore
import RetrySystem

// First, before any other Swift code: the stack-limit check and the held
// signals (Sources/CRetry/startup.c).
cretry_startup()

// Wires the system layer (real clocks, events, generator, launcher and state
// files) to the core; everything else is in those two targets. This runs on
// the main thread, as Foundation `Process` needs.
Syscall.occupyClosedStandardStreams()
if let problem = ResourceLimits.prepare() {
    Output.writeMessage("retry: \(problem)\n")
    SignalRelay.exit(ExitStatus(for: .unfitToRun))
}
CallerDescriptors.record()
// Hidden `retry --generate man|bash|zsh|fish`, which `make generate` runs:
// prints a file generated from the option table (for man, the page read on
// stdin with its list of options rewritten).
if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "--generate" {
    do {
        let text = try GeneratedFile.output(for: CommandLine.arguments[2]) {
            var page = ""
            while let line = readLine(strippingNewline: false) { page += line }
            return page
        }
        try Output.writeResult(text)
        SignalRelay.exit(ExitStatus(for: .printed))
    } catch let error as UsageError {
        Output.writeMessage("retry: \(error.message)\n")
    } catch {
        Output.writeMessage("retry: --generate: \(error)\n")
    }
    SignalRelay.exit(ExitStatus(for: .usage))
}
let events = SystemEvents()
SignalRelay.install(posting: events)
Output.stopWaitingForMessages(after: events)
let environment = ProcessEnvironment.current()
let clock = SystemClock()
let wallClock = SystemWallClock()
var host = Host(
    launcher: FoundationLauncher(events: events, temporaryDirectory: environment["TMPDIR"]),
    clock: clock,
    wallClock: wallClock,
    events: events,
    random: SystemRandomNumberGenerator(),
    environment: environment,
    standardOutput: { text in try Output.writeResult(text) },
    standardError: Output.writeMessage,
    standardErrorIsTerminal: Output.standardErrorIsTerminal(),
    openSharedState: { configuration, warn throws(SharedStateError) in
        try SharedStateStores.open(configuration, environment: environment, wall: wallClock, clock: clock, warn: warn,
                                   stopRequested: { events.receivedSignal != nil })
    },
    appendToFile: { text, path in try Output.append(text, toFile: path) },
    openPace: { configuration, warn throws(SharedStateError) in
        try SharedStateStores.openPace(configuration, environment: environment, wall: wallClock, clock: clock, warn: warn,
                                       stopRequested: { events.receivedSignal != nil })
    })
host.launcherDescription = FoundationLauncher.helperDescription
host.launcherProblem = FoundationLauncher.helperProblem
switch RetryCommand.run(Array(CommandLine.arguments.dropFirst()), host: host) {
case .exit(let status): SignalRelay.exit(status)
case .signal(let signal): SignalRelay.die(of: signal)
}
