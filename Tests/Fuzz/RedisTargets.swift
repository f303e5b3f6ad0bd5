// libFuzzer targets for the Redis store's parsers (Tests/Fuzz/Harness.swift
// picks them): what a server sends back, and the URL a user types.
//
//   resp      RESP.parse on the input (a reply, which a server controls),
//             then RedisReplies on what it parsed
//   redisurl  RedisLocation.parse on the input as text
//
// Properties: no trap, crash or hang; a complete reply consumes 1...count
// bytes, and parsing those bytes alone gives the same value; every prefix
// of a complete reply is incomplete or the same reply (never malformed); an
// accepted URL has a host, a key and a port, and its display is made of
// those alone (never the password); a refused one has a one-line message.

func fuzzRESP(_ bytes: [UInt8]) {
    switch RESP.parse(bytes) {
    case .incomplete, .malformed:
        return
    case .complete(let value, let consumed):
        guard consumed >= 1, consumed <= bytes.count else { fatalError("FUZZ PROPERTY: consumed \(consumed) of \(bytes.count)") }
        guard RESP.parse(Array(bytes[0..<consumed])) == .complete(value, consumed: consumed) else {
            fatalError("FUZZ PROPERTY: the reply alone parses differently")
        }
        for cut in stride(from: 0, to: consumed, by: max(1, consumed / 16)) {
            if case .malformed = RESP.parse(Array(bytes[0..<cut])) {
                fatalError("FUZZ PROPERTY: a prefix of a complete reply is malformed (cut \(cut))")
            }
        }
        _ = RedisReplies.admission(value)
        _ = RedisReplies.payment(value, cost: 5)
        if let snapshot = RedisReplies.snapshot(value) { _ = RedisReplies.breaker(snapshot.fields) }
    }
}

func fuzzRedisURL(_ text: String) {
    do {
        let location = try RedisLocation.parse(text, environmentPassword: "env-secret")
        guard !location.host.isEmpty, !location.key.isEmpty, location.port > 0 else {
            fatalError("FUZZ PROPERTY: an accepted URL lacks a host, key or port: \(text.debugDescription)")
        }
        // The display is built from the host, port and key alone, so it
        // cannot show the password (a substring test would flag a password
        // "r" in "redis://").
        let shownHost = location.host.contains(":") ? "[\(location.host)]" : location.host
        let scheme = location.tls ? "rediss://" : "redis://"
        guard text.hasPrefix(scheme), location.display == "\(scheme)\(shownHost):\(location.port)/\(location.key)" else {
            fatalError("FUZZ PROPERTY: the display holds more than host, port and key: \(text.debugDescription)")
        }
    } catch {
        guard !error.reason.isEmpty, !error.reason.utf8.contains(10), !error.reason.utf8.contains(13) else {
            fatalError("FUZZ PROPERTY: a bad URL's message is empty or not one line: \(text.debugDescription)")
        }
    }
}
