/// Unicode scalar values the French stemmer tests for, plus the marker letters of the prelude.
///
/// The stemmer works on a buffer of `UInt32` scalar values, so every letter it compares
/// is spelled here once as a number instead of being decoded from a string on each test.
enum Letter {
    static let a: UInt32 = 0x61
    static let b: UInt32 = 0x62
    static let c: UInt32 = 0x63
    static let d: UInt32 = 0x64
    static let e: UInt32 = 0x65
    static let h: UInt32 = 0x68
    static let i: UInt32 = 0x69
    static let j: UInt32 = 0x6A
    static let l: UInt32 = 0x6C
    static let m: UInt32 = 0x6D
    static let n: UInt32 = 0x6E
    static let o: UInt32 = 0x6F
    static let p: UInt32 = 0x70
    static let q: UInt32 = 0x71
    static let r: UInt32 = 0x72
    static let s: UInt32 = 0x73
    static let t: UInt32 = 0x74
    static let u: UInt32 = 0x75
    static let y: UInt32 = 0x79
    static let apostrophe: UInt32 = 0x27
    static let aGrave: UInt32 = 0xE0       // à
    static let aCircumflex: UInt32 = 0xE2  // â
    static let cCedilla: UInt32 = 0xE7     // ç
    static let eGrave: UInt32 = 0xE8       // è
    static let eAcute: UInt32 = 0xE9       // é
    static let eCircumflex: UInt32 = 0xEA  // ê
    static let eDiaeresis: UInt32 = 0xEB   // ë
    static let iCircumflex: UInt32 = 0xEE  // î
    static let iDiaeresis: UInt32 = 0xEF   // ï
    static let oCircumflex: UInt32 = 0xF4  // ô
    static let uGrave: UInt32 = 0xF9       // ù
    static let uCircumflex: UInt32 = 0xFB  // û

    // The prelude rewrites some vowels as upper-case markers. Being upper case they are
    // not vowels, which is the whole point: a `u` between vowels, say, must act as a
    // consonant when the regions are measured. The postlude turns them back.
    /// `u` that acts as a consonant (between vowels, or after `q`).
    static let markU: UInt32 = 0x55
    /// `i` that acts as a consonant (between vowels).
    static let markI: UInt32 = 0x49
    /// `y` that acts as a consonant (next to a vowel).
    static let markY: UInt32 = 0x59
    /// Stands before `e`/`i` for the diaeresis of `ë`/`ï`, so that `He`/`Hi` are
    /// consonant + plain vowel while suffixes are matched.
    static let markH: UInt32 = 0x48
}

/// The character classes ("groupings") of the French algorithm.
enum LetterClass {
    /// a e i o u y à â è é ê ë î ï ô ù û — the French vowels.
    @inline(__always)
    static func isVowel(_ c: UInt32) -> Bool {
        // Two 32-bit masks instead of a switch: the switch compiled to a jump table, an
        // indirect branch per letter on the stemmer's hottest test.
        let ascii = c &- 0x60                 // bits: a e i o u y
        if ascii < 32 { return (0x0220_8222 as UInt32) >> ascii & 1 != 0 }
        let latin1 = c &- 0xE0                // bits: à â è é ê ë î ï ô ù û
        if latin1 < 32 { return (0x0A10_CF05 as UInt32) >> latin1 & 1 != 0 }
        return false
    }

    /// Letters that may precede an elision apostrophe: c' d' j' l' m' n' s' t'.
    @inline(__always)
    static func isElisionLetter(_ c: UInt32) -> Bool {
        switch c {
        case 0x63, 0x64, 0x6A, 0x6C, 0x6D, 0x6E, 0x73, 0x74: return true
        default: return false
        }
    }

    /// b h j l n p: after one of these, `-oux` is a plural of `-ou` (bijoux, genoux).
    @inline(__always)
    static func isOuxPluralLetter(_ c: UInt32) -> Bool {
        switch c {
        case 0x62, 0x68, 0x6A, 0x6C, 0x6E, 0x70: return true
        default: return false
        }
    }

    /// a i o s u è: a final `s` after one of these is part of the word (gras, fois, très).
    @inline(__always)
    static func keepsFinalS(_ c: UInt32) -> Bool {
        switch c {
        case 0x61, 0x69, 0x6F, 0x73, 0x75, 0xE8: return true
        default: return false
        }
    }
}
