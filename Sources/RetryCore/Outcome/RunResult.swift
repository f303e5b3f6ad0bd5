/// How a run ends: with a status, or by dying of the signal `retry` itself
/// received, as GNU `timeout` does, so the parent sees a real signal death.
package enum RunResult: Equatable, Sendable {
    case exit(ExitStatus)
    case signal(Int32)

    /// The status a shell would see: 128+N for a signal.
    package var status: ExitStatus {
        switch self {
        case .exit(let status): status
        case .signal(let signal): ExitStatus(for: .signal(signal))
        }
    }
}
