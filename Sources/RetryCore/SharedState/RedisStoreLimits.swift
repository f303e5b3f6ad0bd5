/// The fixed times of the Redis store.
package enum RedisStoreLimits {
    /// How long connecting, and then each reply, may take before the run
    /// goes on without the store: a healthy server on a LAN answers in a
    /// millisecond or two, and a run must not hang on a dead one.
    package static let connect = Duration.milliseconds(250)
    /// Connecting over TLS: TCP's handshake, TLS's and AUTH's, three or
    /// four round trips where plain TCP has two, and the certificate checks
    /// (bench/REDIS-TLS.md: 3 ms on loopback; 250-400 ms between regions).
    package static let tlsConnect = Duration.seconds(1)
    package static func connect(tls: Bool) -> Duration { tls ? tlsConnect : connect }
    package static let reply = Duration.milliseconds(250)
    /// A trial lease lasts this long unless renewed; a host that dies
    /// mid-trial frees it this long after its last renewal.
    package static let lease = Duration.seconds(3)
    /// How often a running trial renews its lease.
    package static let renewal = Duration.seconds(1)
    /// A key nobody touched for this long (past its cooldown or shared
    /// Retry-After) expires: a breaker forgets, a quota is full again.
    package static let idle = Duration.seconds(7 * 86_400)
}
