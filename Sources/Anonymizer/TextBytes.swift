/// The UTF-8 bytes of the text being scanned, with the character classes the scanners share.
///
/// The text comes from a Swift `String`, so it is valid UTF-8: the helpers decode without
/// re-validating. Every scanner looks at most a few dozen bytes ahead of its start, which
/// keeps the whole pass linear.
struct TextBytes {
    let base: UnsafePointer<UInt8>
    let count: Int

    /// `buffer` must not be empty (an empty String may have no storage; callers skip it).
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        base = buffer.baseAddress!
        count = buffer.count
    }

    @inline(__always) subscript(i: Int) -> UInt8 { base[i] }

    /// The byte at `i`, or 0 past the end (0 never belongs to any class below).
    @inline(__always) func at(_ i: Int) -> UInt8 { i < count ? base[i] : 0 }

    @inline(__always) func isDigit(at i: Int) -> Bool { i < count && isASCIIDigit(base[i]) }

    /// Whether the character starting at byte `i` is a word character (letter, digit, `_`).
    /// Past the end is not.
    func isWordChar(at i: Int) -> Bool {
        guard i < count else { return false }
        let b = base[i]
        if b < 0x80 { return isASCIIWord(b) }
        return isWordScalar(decodeScalar(at: i).value)
    }

    /// Whether the character that ends just before byte `i` is a word character.
    func isWordChar(before i: Int) -> Bool {
        guard i > 0 else { return false }
        let b = base[i - 1]
        if b < 0x80 { return isASCIIWord(b) }
        var start = i - 1
        while start > 0 && base[start] & 0xC0 == 0x80 { start -= 1 }
        return isWordScalar(decodeScalar(at: start).value)
    }

    /// A match may end at `i` only if no word character follows: "0612345678" inside
    /// "0612345678901" or "M123456x" is not a match.
    @inline(__always) func isBoundary(after i: Int) -> Bool { !isWordChar(at: i) }

    /// The scalar starting at byte `i` and its length in bytes.
    @inline(__always) func decodeScalar(at i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(base[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(base[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(base[i + 1] & 0x3F) << 6 | UInt32(base[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(base[i + 1] & 0x3F) << 12
                | UInt32(base[i + 2] & 0x3F) << 6 | UInt32(base[i + 3] & 0x3F), 4)
    }
}

@inline(__always) func isASCIIDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
@inline(__always) func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
@inline(__always) func isASCIIWord(_ b: UInt8) -> Bool { isASCIIDigit(b) || isASCIILetter(b) || b == 0x5F }

/// Letters and digits of any script are word characters; emoji, punctuation (« », ’, NBSP)
/// are not. French accented letters (U+00C0–U+024F) answer without the property lookup.
func isWordScalar(_ v: UInt32) -> Bool {
    if v >= 0xC0 && v <= 0x24F { return v != 0xD7 && v != 0xF7 }
    if v < 0xC0 { return false }
    guard let s = Unicode.Scalar(v) else { return false }
    return s.properties.isAlphabetic || s.properties.numericType != nil
}
