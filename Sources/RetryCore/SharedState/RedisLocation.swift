/// Where a breaker or quota lives in Redis:
/// `redis://[USER[:PASSWORD]@]HOST[:PORT]/KEY`, or `rediss://` for TLS.
package struct RedisLocation: Equatable, Sendable {
    package var host: String
    package var port: UInt16
    package var key: String
    package var user: String?
    package var password: String?
    /// Over TLS (`rediss://`).
    package var tls = false
    /// The only CA a TLS server's certificate may chain to (`--redis-ca`);
    /// nil: OpenSSL's default verify paths (the system's trust store,
    /// `SSL_CERT_FILE`, `SSL_CERT_DIR`).
    package var caFile: String?

    package init(host: String, port: UInt16, key: String, user: String?, password: String?, tls: Bool = false, caFile: String? = nil) {
        self.host = host
        self.port = port
        self.key = key
        self.user = user
        self.password = password
        self.tls = tls
        self.caFile = caFile
    }

    /// The URL schemes taken, and whether each speaks TLS: one table, so a
    /// scheme is added (or refused with a hint) in one place.
    package static let schemes: [(prefix: String, tls: Bool)] = [("redis://", false), ("rediss://", true)]
    package static let defaultPort: UInt16 = 6379

    /// Whether an option value names Redis rather than a file.
    package static func isRedis(_ text: String) -> Bool {
        schemes.contains { text.hasPrefix($0.prefix) }
    }

    package var scheme: String { tls ? "rediss://" : "redis://" }

    /// How the location is written in messages: never with its password.
    package var display: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)\(shownHost):\(port)/\(key)"
    }

    /// Whether the two are one connection: same server, same credentials.
    package func sameServer(as other: RedisLocation) -> Bool {
        host == other.host && port == other.port && tls == other.tls && caFile == other.caFile
            && user == other.user && password == other.password
    }

    /// Parses the URL; `environmentPassword` (REDISCLI_AUTH) is used when
    /// the URL gives none.
    package static func parse(_ text: String, environmentPassword: String? = nil) throws(InvalidValue) -> RedisLocation {
        guard let scheme = schemes.first(where: { text.hasPrefix($0.prefix) }) else {
            throw InvalidValue("expected redis://HOST[:PORT]/KEY or rediss://HOST[:PORT]/KEY")
        }
        let rest = text.dropFirst(scheme.prefix.count)
        guard let slash = rest.firstIndex(of: "/") else { throw InvalidValue("no key: expected \(scheme.prefix)HOST[:PORT]/KEY, like \(scheme.prefix)127.0.0.1:6379/ci-breaker") }
        var authority = rest[..<slash]
        let key = String(rest[rest.index(after: slash)...])
        guard !key.isEmpty, key.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw InvalidValue("the key must be printable ASCII without spaces, like ci-breaker")
        }
        var user: String?, password: String?
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            // USER@ alone, or an empty :PASSWORD, leaves the password to
            // REDISCLI_AUTH, so that it need not be on the command line.
            let colon = credentials.firstIndex(of: ":") ?? credentials.endIndex
            user = credentials[..<colon].isEmpty ? nil : try percentDecoded(credentials[..<colon])
            let secret = colon == credentials.endIndex ? "" : try percentDecoded(credentials[credentials.index(after: colon)...])
            password = secret.isEmpty ? nil : secret
        }
        let (host, port) = try hostAndPort(authority, scheme: scheme.prefix)
        return RedisLocation(host: host, port: port, key: key, user: user,
                             password: password ?? environmentPassword.flatMap { $0.isEmpty ? nil : $0 }, tls: scheme.tls)
    }

    private static func hostAndPort(_ authority: Substring, scheme: String) throws(InvalidValue) -> (String, UInt16) {
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
            throw InvalidValue("no host: expected \(scheme)HOST[:PORT]/KEY")
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
