/// Just enough JSON to write log lines with a fixed field order.
enum JSONValue: ExpressibleByStringLiteral {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case number(Double)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    init(stringLiteral value: String) { self = .string(value) }

    var encoded: String {
        switch self {
        case .string(let text): Self.quoted(text)
        case .integer(let value): "\(value)"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)") : "null"
        case .array(let items): "[" + items.map(\.encoded).joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.map { Self.quoted($0.0) + ":" + $0.1.encoded }.joined(separator: ",") + "}"
        case .null: "null"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
