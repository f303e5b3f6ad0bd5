import Foundation
import RetryCore

/// Keeps a half-open trial's lease alive while the trial runs: a thread of
/// its own (the main thread is busy supervising the command) renews it every
/// `RedisStoreLimits.renewal` over a connection of its own, so the attempt
/// loop needs no hook. If this host dies, renewals stop and the lease ends
/// by itself `RedisStoreLimits.lease` later.
final class LeaseRenewer: @unchecked Sendable {
    private let stopping = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    init(location: RedisLocation, token: String) {
        let thread = Thread { [stopping, stopped] in
            // A server of its own (its own connection), which follows a
            // cluster's MOVED as the run's does.
            let server = RedisServer(location, warn: { _ in })
            let arguments = [token, String(RedisStoreLimits.lease.wholeMilliseconds)]
            let interval = Int(RedisStoreLimits.renewal.wholeMilliseconds)
            while stopping.wait(timeout: .now() + .milliseconds(interval)) == .timedOut {
                do throws(SocketFailure) {
                    // 0: the lease is no longer ours (it expired and another
                    // run took it); nothing left to renew.
                    if try server.call(.breakerRenew, key: location.key, arguments).integer == 0 { break }
                } catch {
                    // The next renewal tries a fresh connection (`call`
                    // drops a failed one); the lease outlives two misses.
                }
            }
            stopped.signal()
        }
        thread.start()
    }

    /// Stops renewing, waiting (briefly) for the thread so that no renewal
    /// lands after the run has freed its lease.
    func stop() {
        stopping.signal()
        _ = stopped.wait(timeout: .now() + .milliseconds(Int(2 * RedisStoreLimits.reply.wholeMilliseconds) + 100))
    }
}
