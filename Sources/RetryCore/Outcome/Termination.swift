/// How an attempt's process ended.
package enum Termination: Equatable, Sendable {
    case exited(Int32)
    case signaled(Int32)

    package var status: ExitStatus {
        switch self {
        case .exited(let code): ExitStatus(rawValue: code)
        case .signaled(let signal): .killed(by: signal)
        }
    }

    package var isSuccess: Bool { self == .exited(0) }
}
