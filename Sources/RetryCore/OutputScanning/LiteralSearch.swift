/// Byte searches for `RequiredLiterals`, on raw buffers: no line becomes a
/// `String` unless it holds a literal.
extension RequiredLiterals {
    /// Whether a line of `text` (one or more lines, split at `\n`) that holds
    /// one of the literals passes `test`; lines without one are skipped.
    func anyCandidateLine(in text: UnsafeRawBufferPointer, where test: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return false }
        let searches = LiteralSet(literals.map { LiteralSearch(needle: $0, caseInsensitive: caseInsensitive) })
        // Under `(?i)` a non-ASCII byte makes its line a candidate; most
        // windows have none, which one pass tells.
        var nextWide = caseInsensitive && LiteralSearch.firstNonASCII(base, from: 0, to: text.count) != nil ? -1 : Int.max
        var position = 0
        while position < text.count {
            var hit = searches.first(in: base, from: position, to: text.count) ?? Int.max
            if nextWide < position { nextWide = LiteralSearch.firstNonASCII(base, from: position, to: text.count) ?? Int.max }
            hit = min(hit, nextWide)
            if hit == Int.max { return false }
            var start = hit
            while start > position, base.load(fromByteOffset: start - 1, as: UInt8.self) != 10 { start -= 1 }
            let end = LiteralSearch.firstNewline(base, from: hit, to: text.count) ?? text.count
            if test(UnsafeRawBufferPointer(start: base + start, count: end - start)) { return true }
            position = end + 1
        }
        return false
    }
}

/// One literal: `LiteralSet` looks, 16 bytes at a time, for positions where
/// two of its bytes (the rarest two) stand at the right distance, then
/// compares it whole.
struct LiteralSearch {
    typealias Block = SIMD16<UInt8>
    let needle: [UInt8]
    let caseInsensitive: Bool
    /// Offsets in `needle` of the two bytes looked for first.
    let first: Int
    let second: Int

    init(needle: [UInt8], caseInsensitive: Bool) {
        self.needle = needle
        self.caseInsensitive = caseInsensitive
        let ranked = needle.indices.sorted { Self.rank(needle[$0]) < Self.rank(needle[$1]) }
        first = ranked[0]
        second = ranked.count > 1 ? ranked[1] : ranked[0]
    }

    /// Rough frequency of a byte in text: lower is rarer. Space, lower-case
    /// letters by English frequency, then digits, upper case, punctuation.
    static func rank(_ byte: UInt8) -> Int {
        let common = Array(" etaoinshrdlcumwfgypbvkjxqz".utf8)
        if let place = common.firstIndex(of: byte) { return 200 - place }
        if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { return 150 }
        if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { return 100 }
        return 50
    }

    /// The two bytes looked for first, at their offsets in the needle.
    struct Pair {
        let low: Int, high: Int
        let a: Block, b: Block
        /// Folding by setting bit 5 is right for letters only; for other
        /// bytes it may find false candidates, which the comparison rejects.
        let foldA: Block, foldB: Block

        init(_ search: LiteralSearch) {
            low = min(search.first, search.second)
            high = max(search.first, search.second)
            a = Block(repeating: search.needle[low])
            b = Block(repeating: search.needle[high])
            foldA = Block(repeating: search.caseInsensitive && LiteralSearch.isLetter(search.needle[low]) ? 0x20 : 0)
            foldB = Block(repeating: search.caseInsensitive && LiteralSearch.isLetter(search.needle[high]) ? 0x20 : 0)
        }

        /// Where in the 16 positions from `start` both bytes stand.
        @inline(__always)
        func mask(_ base: UnsafeRawPointer, _ start: Int) -> SIMDMask<SIMD16<Int8>> {
            let x = base.loadUnaligned(fromByteOffset: start &+ low, as: Block.self) | foldA
            let y = base.loadUnaligned(fromByteOffset: start &+ high, as: Block.self) | foldB
            return (x .== a) .& (y .== b)
        }
    }

    /// Whether the needle stands at `at`.
    func equals(_ at: UnsafeRawPointer) -> Bool {
        for index in needle.indices {
            var byte = at.load(fromByteOffset: index, as: UInt8.self)
            if caseInsensitive && Self.isLetter(byte) { byte |= 0x20 }
            if byte != needle[index] { return false }
        }
        return true
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    static func firstNewline(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        first(10, base, from: from, to: end)
    }

    /// The offset of the first `byte` in `from..<end`, 64 bytes a round
    /// while they last (what `memchr` does, without the C library).
    static func first(_ byte: UInt8, _ base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        let wanted = Block(repeating: byte)
        var start = from
        while start &+ 64 <= end {
            let mask = (base.loadUnaligned(fromByteOffset: start, as: Block.self) .== wanted)
                .| (base.loadUnaligned(fromByteOffset: start &+ 16, as: Block.self) .== wanted)
                .| (base.loadUnaligned(fromByteOffset: start &+ 32, as: Block.self) .== wanted)
                .| (base.loadUnaligned(fromByteOffset: start &+ 48, as: Block.self) .== wanted)
            if any(mask) { break }
            start &+= 64
        }
        while start &+ 16 <= end {
            let words = unsafeBitCast(base.loadUnaligned(fromByteOffset: start, as: Block.self) .== wanted, to: SIMD2<UInt64>.self)
            // A lane that matched is 0xFF: its place is its lowest set bit / 8.
            if words[0] != 0 { return start &+ words[0].trailingZeroBitCount / 8 }
            if words[1] != 0 { return start &+ 8 &+ words[1].trailingZeroBitCount / 8 }
            start &+= 16
        }
        while start < end {
            if base.load(fromByteOffset: start, as: UInt8.self) == byte { return start }
            start &+= 1
        }
        return nil
    }

    /// The standard library's `any(_:)` calls an unspecialised `min()`,
    /// 76% of a scan's time: two words say it in two instructions.
    @inline(__always)
    static func any(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }

    static func firstNonASCII(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        var start = from
        let high: UInt64 = 0x8080_8080_8080_8080
        while start + 32 <= end {
            let words = base.loadUnaligned(fromByteOffset: start, as: UInt64.self) | base.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self)
                | base.loadUnaligned(fromByteOffset: start + 16, as: UInt64.self) | base.loadUnaligned(fromByteOffset: start + 24, as: UInt64.self)
            if words & high != 0 { break }
            start += 32
        }
        while start < end {
            if base.load(fromByteOffset: start, as: UInt8.self) >= 0x80 { return start }
            start += 1
        }
        return nil
    }
}
