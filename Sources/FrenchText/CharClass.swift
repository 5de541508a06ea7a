import CUTF8Proc

/// What the tokeniser needs to know about a (normalised) character.
enum CharClass: UInt8 {
    /// Letters of any script, plus non-ASCII digits and letter-numbers (they belong to words).
    case letter
    /// ASCII 0–9 (NFKC has already turned full-width and superscript digits into these).
    case digit
    /// Combining marks: they continue a word but never start one.
    case mark
    /// Everything else: spaces, punctuation, symbols, emoji, controls.
    case other

    /// Class of the scalar `cp`; U+0000–U+07FF come from a table.
    @inline(__always)
    static func of(_ cp: UInt32) -> CharClass {
        if cp < 0x80 { return ascii(UInt8(truncatingIfNeeded: cp)) }
        if cp < 0x800 { return CharClass(rawValue: smallTable[Int(cp)])! }
        return compute(cp)
    }

    /// ASCII classes by arithmetic: the hot path touches no global table.
    @inline(__always)
    static func ascii(_ b: UInt8) -> CharClass {
        if b &- 0x30 < 10 { return .digit }
        return (b | 0x20) &- 0x61 < 26 ? .letter : .other
    }

    static func compute(_ cp: UInt32) -> CharClass {
        if cp < 0x80 {
            switch cp {
            case 0x30...0x39: return .digit
            case 0x41...0x5A, 0x61...0x7A: return .letter
            default: return .other
            }
        }
        switch UTF8Proc.category(cp) {
        case 1...5, 9, 10: return .letter  // L*, Nd, Nl
        case 6...8: return .mark           // Mn, Mc, Me
        default: return .other
        }
    }

    private static let smallTable: [UInt8] = (0..<0x800).map { compute(UInt32($0)).rawValue }
}
