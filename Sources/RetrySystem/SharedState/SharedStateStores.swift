import RetryCore

/// Opens the store the options name: state files, or Redis for URLs.
package enum SharedStateStores {
    /// A breaker and quota in different kinds of store are refused: one
    /// run speaking to both would fail open in two different ways.
    package static func open(_ configuration: Configuration, environment: [String: String], wall: any WallClock,
                            clock: any MonotonicClock, warn: @escaping (String) -> Void,
                            stopRequested: @escaping () -> Bool = { false }) throws(SharedStateError) -> any RunMemory {
        let kinds = Set([configuration.sharedState.breakerPath, configuration.sharedState.quotaPath].compactMap { $0 }.map(RedisLocation.isRedis))
        guard kinds.count == 1 else {
            throw .refused("--breaker and --quota must both be files or both redis:// URLs")
        }
        if kinds.contains(true) {
            return try RedisRunMemory(configuration, environment: environment, warn: warn)
        }
        return try FileRunMemory(configuration, wall: wall, clock: clock, sleep: Syscall.sleep, warn: warn,
                                 dryRun: configuration.presentation.dryRun || configuration.sharedState.action == .show, stopRequested: stopRequested)
    }

    /// The `--pace` store: a state file, or Redis for a URL.
    package static func openPace(_ configuration: Configuration, environment: [String: String], wall: any WallClock,
                                clock: any MonotonicClock, warn: @escaping (String) -> Void,
                                stopRequested: @escaping () -> Bool = { false }) throws(SharedStateError) -> any PaceStore {
        let path = configuration.sharedState.pacePath ?? ""
        if RedisLocation.isRedis(path) {
            return try RedisPaceStore(configuration, url: path, environment: environment, warn: warn)
        }
        return try FilePaceStore(configuration, path: path, wall: wall, clock: clock, sleep: Syscall.sleep, warn: warn,
                                 dryRun: configuration.presentation.dryRun || configuration.sharedState.action == .show, stopRequested: stopRequested)
    }
}
