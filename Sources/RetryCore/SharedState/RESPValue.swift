/// A Redis reply (RESP2), as the server sends it.
package enum RESPValue: Equatable, Sendable {
    case simple(String)
    case error(String)
    case integer(Int64)
    /// nil: the null bulk string.
    case bulk([UInt8]?)
    /// nil: the null array.
    case array([RESPValue]?)

    /// The value as text: a simple or bulk string, or an integer's digits.
    package var text: String? {
        switch self {
        case .simple(let text): text
        case .bulk(let bytes?): String(decoding: bytes, as: UTF8.self)
        case .integer(let value): String(value)
        default: nil
        }
    }

    package var integer: Int64? {
        switch self {
        case .integer(let value): value
        default: text.flatMap { Int64($0) }
        }
    }
}
