/// A size in bytes as options take it: a whole number with an optional
/// binary unit, `512K`, `64M`, `1G` (also `KiB`, `MiB`, `GiB`), or plain
/// bytes; units are powers of 1024, as `ulimit` and `du` count.
package enum ByteSizeText {
    private static let units: [(suffixes: [String], shift: Int)] = [
        (["G", "GiB", "g"], 30), (["M", "MiB", "m"], 20), (["K", "KiB", "k"], 10), (["B", "b", ""], 0),
    ]

    package static func parse(_ text: String) throws(InvalidValue) -> Int {
        for (suffixes, shift) in units {
            for suffix in suffixes where text.hasSuffix(suffix) {
                let number = String(text.dropLast(suffix.count))
                guard !number.isEmpty, number.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { continue }
                guard let value = Int(number), value <= Int.max >> shift else {
                    throw InvalidValue("too large")
                }
                return value << shift
            }
        }
        throw InvalidValue(text.hasPrefix("-") ? "cannot be negative" : "expected a size, like 64M, 512K or 1G")
    }

    /// The largest unit that divides `bytes` exactly: `64MiB`, `1500B`.
    package static func format(_ bytes: Int) -> String {
        for (suffixes, shift) in units where shift > 0 && bytes != 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(suffixes[1])"
        }
        return "\(bytes)B"
    }
}
