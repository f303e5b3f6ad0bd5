/// Finds the first place where any of the literals stands, in one pass: each
/// cache line of a megabyte window is read once, not once per literal.
struct LiteralSet {
    let searches: [LiteralSearch]
    let pairs: [LiteralSearch.Pair]
    let longest: Int

    init(_ searches: [LiteralSearch]) {
        self.searches = searches
        pairs = searches.map(LiteralSearch.Pair.init)
        longest = searches.map(\.needle.count).max() ?? 0
    }

    func first(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        var start = from
        // 64 positions a round while every literal fits after all of them.
        while start &+ 63 &+ longest <= end {
            var mask = SIMDMask<SIMD16<Int8>>(repeating: false)
            for pair in pairs {
                mask .|= pair.mask(base, start) .| pair.mask(base, start &+ 16) .| pair.mask(base, start &+ 32) .| pair.mask(base, start &+ 48)
            }
            if LiteralSearch.any(mask), let found = firstMatch(base, start..<(start + 64), end: end) { return found }
            start &+= 64
        }
        return firstMatch(base, start..<end, end: end)
    }

    /// The first offset in `offsets` where a literal stands, whole and before `end`.
    private func firstMatch(_ base: UnsafeRawPointer, _ offsets: Range<Int>, end: Int) -> Int? {
        for offset in offsets {
            for search in searches where offset + search.needle.count <= end && search.equals(base + offset) { return offset }
        }
        return nil
    }
}
