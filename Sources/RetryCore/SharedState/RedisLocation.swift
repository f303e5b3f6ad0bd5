/// Where a breaker or quota lives in Redis: `redis://[[USER]:PASSWORD@]HOST[:PORT]/KEY`.
/// Only plain TCP: TLS (`rediss://`) is out of scope and refused with a hint.
package struct RedisLocation: Equatable, Sendable {
    package var host: String
    package var port: UInt16
    package var key: String
    package var user: String?
    package var password: String?

    package static let scheme = "redis://"
    package static let defaultPort: UInt16 = 6379

    /// Whether an option value names Redis rather than a file.
    package static func isRedis(_ text: String) -> Bool {
        text.hasPrefix(scheme) || text.hasPrefix("rediss://")
    }

    /// How the location is written in messages: never with its password.
    package var display: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(Self.scheme)\(shownHost):\(port)/\(key)"
    }

    /// Parses the URL; `environmentPassword` (REDISCLI_AUTH) is used when
    /// the URL gives none.
    package static func parse(_ text: String, environmentPassword: String? = nil) throws(InvalidValue) -> RedisLocation {
        if text.hasPrefix("rediss://") { throw InvalidValue("TLS (rediss://) is not supported; use redis:// over a trusted network or a tunnel") }
        guard text.hasPrefix(scheme) else { throw InvalidValue("expected redis://HOST[:PORT]/KEY") }
        let rest = text.dropFirst(scheme.count)
        guard let slash = rest.firstIndex(of: "/") else { throw InvalidValue("no key: expected redis://HOST[:PORT]/KEY, like redis://127.0.0.1:6379/ci-breaker") }
        var authority = rest[..<slash]
        let key = String(rest[rest.index(after: slash)...])
        guard !key.isEmpty, key.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw InvalidValue("the key must be printable ASCII without spaces, like ci-breaker")
        }
        var user: String?, password: String?
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            guard let colon = credentials.firstIndex(of: ":") else { throw InvalidValue("expected :PASSWORD@ before the host") }
            user = credentials[..<colon].isEmpty ? nil : try percentDecoded(credentials[..<colon])
            password = try percentDecoded(credentials[credentials.index(after: colon)...])
        }
        let (host, port) = try hostAndPort(authority)
        return RedisLocation(host: host, port: port, key: key, user: user,
                             password: password ?? environmentPassword.flatMap { $0.isEmpty ? nil : $0 })
    }

    private static func hostAndPort(_ authority: Substring) throws(InvalidValue) -> (String, UInt16) {
        var host = authority, portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw InvalidValue("an IPv6 address needs its closing ']'") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw InvalidValue("expected :PORT after the address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "/") }) else {
            throw InvalidValue("no host: expected redis://HOST[:PORT]/KEY")
        }
        guard let portText else { return (String(host), defaultPort) }
        guard let port = UInt16(portText), port > 0 else { throw InvalidValue("the port must be 1 to 65535") }
        return (String(host), port)
    }

    /// `%XX` escapes, so a password may hold `@`, `:` or `/`.
    private static func percentDecoded(_ text: Substring) throws(InvalidValue) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                throw InvalidValue("a '%' in the password must be followed by two hex digits")
            }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
