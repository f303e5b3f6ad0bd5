extension String {
    /// A copy with every `scalar` replaced by `replacement`, scalar by scalar
    /// (as Foundation's `replacingOccurrences` does): the `\r` of a CR LF
    /// pair, one `Character`, is replaced too.
    func replacing(scalar: Unicode.Scalar, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for next in unicodeScalars {
            if next == scalar { result += replacement } else { result.unicodeScalars.append(next) }
        }
        return result
    }
}
