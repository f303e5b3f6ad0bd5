import RetryCore

/// Names this run in a trial lease: host, pid and a random part, so that
/// runs on different hosts (or a reused pid) never pass for one another.
enum LeaseToken {
    static func make() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown-host"
        var random = SystemRandomNumberGenerator()
        return "\(host):\(getpid()):\(String(random.next() as UInt64, radix: 16))"
    }
}
