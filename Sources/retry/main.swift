import Foundation
import RetryCore

// The real clock, sleeper, generator and launcher; everything else is in
// RetryCore. This runs on the main thread, as Foundation `Process` needs.
let host = Host(
    launcher: FoundationLauncher(),
    clock: SystemClock(),
    sleeper: SystemSleeper(),
    random: SystemRandomNumberGenerator(),
    environment: ProcessInfo.processInfo.environment,
    standardOutput: { Output.write($0, to: .standardOutput) },
    standardError: { Output.write($0, to: .standardError) })
exit(RetryCommand.run(Array(CommandLine.arguments.dropFirst()), host: host).rawValue)
