/// A DURATION given as a bare number (`-b 500`), which is seconds: what
/// `--verbose` and `--dry-run` say about it, since a user who meant
/// milliseconds (or, with `-t 3`, Debian's three tries) learns it nowhere
/// else.
package struct BareSeconds: Equatable, Sendable {
    package let option: OptionName
    /// As typed: `-b` or `--base`.
    package let written: String
    package let text: String
    package let value: Duration

    /// Nil unless `text` is a number without a unit, and not 0 (which
    /// means none, whatever the unit).
    init?(_ option: OptionName, written: String, text: String) {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.contains(where: { ("1"..."9").contains($0) }),
              let value = try? DurationText.parse(text) else { return nil }
        self.option = option
        self.written = written
        self.text = text
        self.value = value
    }

    /// `-b 500 is 500 seconds (8m20s): a bare number is seconds; for milliseconds write 500ms`.
    package var line: String {
        "\(written) \(text) is \(text) second\(text == "1" ? "" : "s")"
            + (DurationText.format(value) == text + "s" ? "" : " (\(DurationText.format(value)))")
            + ": a bare number is seconds; for milliseconds write \(text)ms"
    }

    /// `-t 3`: Debian's `retry -t 3` makes three tries; here it limits each
    /// attempt to 3 seconds. Said once, when an attempt times out.
    package var debianTries: Int? {
        guard option == .timeout, let count = Int(text), (1...10).contains(count) else { return nil }
        return count
    }

    /// The hint for `debianTries`.
    package var debianHint: String? {
        debianTries.map { count in
            let plural = count == 1 ? "" : "s"
            return "\(written) \(text) limits each attempt to \(count)s; it is not \(count) tr\(count == 1 ? "y" : "ies") as in Debian's retry: "
                + "for \(count) attempt\(plural) write -n \(count) (write \(written) \(count)s to keep the limit without this note)"
        }
    }
}
