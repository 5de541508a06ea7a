/// One run of the Snowball French algorithm (3.0 – 3.1.1) over a word held as scalar values.
///
/// The word lives in caller-provided memory with room for growth: the prelude writes `ë`
/// as `He` and `ï` as `Hi`, so a word of `n` scalars may need `2n` slots. Every later step
/// edits only the end of the word, which is why the region starts (`rv`, `r1`, `r2`),
/// measured once before the suffix steps, stay valid as absolute indices throughout.
///
/// Steps, in order: elision, prelude (mark consonant-like vowels), regions, step 1
/// (standard suffixes) or 2a/2b (verb suffixes) — followed by step 3 (`Y`→`i`, `ç`→`c`) when
/// one of them changed the word — otherwise step 4 (residual suffixes), then step 5
/// (un-double), step 6 (un-accent) and the postlude (markers back to lower case).
struct FrenchStemmerRun {
    let word: UnsafeMutablePointer<UInt32>
    let capacity: Int
    var count: Int
    /// Start of RV, R1 and R2 (`count` when a region is empty).
    var rv = 0, r1 = 0, r2 = 0

    /// `word` must have room for `capacity >= 2 * count` scalars.
    init(word: UnsafeMutablePointer<UInt32>, count: Int, capacity: Int) {
        precondition(capacity >= 2 * count, "stemmer buffer too small")
        self.word = word
        self.count = count
        self.capacity = capacity
    }

    /// Stems the word in place; returns its new length.
    mutating func stem() -> Int {
        removeElision()
        markNonVowels()
        markRegions()
        if standardSuffix() || iVerbSuffix() || verbSuffix() {
            restoreFinalYOrCedilla()
        } else {
            residualSuffix()
        }
        undouble()
        unaccent()
        unmark()
        return count
    }

    // MARK: - Helpers

    /// Replaces `word[start..<count]` with an ASCII literal.
    @inline(__always)
    private mutating func replaceEnd(from start: Int, with ascii: StaticString) {
        var k = start
        ascii.withUTF8Buffer { bytes in
            for byte in bytes {
                word[k] = UInt32(byte)
                k += 1
            }
        }
        count = k
    }

    /// Whether `word[at]`, `word[at + 1]` are `x`, `y` (false if `at` is negative).
    @inline(__always)
    private func has(_ x: UInt32, _ y: UInt32, at index: Int) -> Bool {
        index >= 0 && word[index] == x && word[index + 1] == y
    }

    // MARK: - Elision

    /// Strips a leading c' d' j' l' m' n' s' t' or qu' (l'avion → avion), but only when
    /// something follows the apostrophe: a bare "l'" stays.
    private mutating func removeElision() {
        guard count >= 2 else { return }
        let apostrophe: Int
        if LetterClass.isElisionLetter(word[0]) {
            apostrophe = 1
        } else if word[0] == Letter.q && word[1] == Letter.u {
            apostrophe = 2
        } else {
            return
        }
        guard apostrophe + 1 < count, word[apostrophe] == Letter.apostrophe else { return }
        let removed = apostrophe + 1
        // Overlapping regions are allowed: this is a memmove.
        word.update(from: word + removed, count: count - removed)
        count -= removed
    }

    // MARK: - Prelude

    /// Marks the vowels that behave as consonants, from left to right:
    /// `u`/`i` between two vowels → `U`/`I`; `y` after or before a vowel → `Y`;
    /// `u` after `q` → `U`; and `ë`/`ï` become `He`/`Hi`.
    /// After a change the same position is examined again, since a marked letter is no
    /// longer a vowel and may unblock another rule there.
    private mutating func markNonVowels() {
        var k = 0
        while k < count {
            if !markConsonantLike(at: k) { k += 1 }
        }
    }

    /// Applies the first prelude rule that matches at `k`; false if none does.
    @inline(__always)
    private mutating func markConsonantLike(at k: Int) -> Bool {
        let c = word[k]
        if LetterClass.isVowel(c) && k + 1 < count {
            let next = word[k + 1]
            let vowelAfterNext = k + 2 < count && LetterClass.isVowel(word[k + 2])
            if next == Letter.u && vowelAfterNext { word[k + 1] = Letter.markU; return true }
            if next == Letter.i && vowelAfterNext { word[k + 1] = Letter.markI; return true }
            if next == Letter.y { word[k + 1] = Letter.markY; return true }
        }
        if c == Letter.eDiaeresis { insertDiaeresisMark(at: k, vowel: Letter.e); return true }
        if c == Letter.iDiaeresis { insertDiaeresisMark(at: k, vowel: Letter.i); return true }
        if c == Letter.y && k + 1 < count && LetterClass.isVowel(word[k + 1]) {
            word[k] = Letter.markY
            return true
        }
        if c == Letter.q && k + 1 < count && word[k + 1] == Letter.u {
            word[k + 1] = Letter.markU
            return true
        }
        return false
    }

    /// `ë` at `k` → `He` (or `ï` → `Hi`): the word grows by one.
    private mutating func insertDiaeresisMark(at k: Int, vowel: UInt32) {
        // Each insertion replaces one of the word's original scalars, so `2n` slots suffice.
        var m = count
        while m > k + 1 {
            word[m] = word[m - 1]
            m -= 1
        }
        word[k] = Letter.markH
        word[k + 1] = vowel
        count += 1
    }

    // MARK: - Regions

    /// RV: after the first two letters if both are vowels; after "col", "par", "tap" or
    /// "ni"+vowel at the start (colis, parie, tapis, niais); otherwise after the first vowel
    /// not at the start. R1: after the first non-vowel following a vowel; R2: the same
    /// measured again from R1.
    private mutating func markRegions() {
        rv = count
        r1 = count
        r2 = count
        if count >= 3 && LetterClass.isVowel(word[0]) && LetterClass.isVowel(word[1]) {
            rv = 3
        } else if count >= 3 && (startsWith(Letter.c, Letter.o, Letter.l)
                                 || startsWith(Letter.p, Letter.a, Letter.r)
                                 || startsWith(Letter.t, Letter.a, Letter.p)) {
            rv = 3
        } else if count >= 3 && word[0] == Letter.n && word[1] == Letter.i && LetterClass.isVowel(word[2]) {
            rv = 3
        } else {
            var k = 1
            while k < count && !LetterClass.isVowel(word[k]) { k += 1 }
            if k < count { rv = k + 1 }
        }
        r1 = regionStart(from: 0)
        r2 = regionStart(from: r1)
    }

    @inline(__always)
    private func startsWith(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> Bool {
        word[0] == x && word[1] == y && word[2] == z
    }

    /// Index just after the first non-vowel that follows a vowel, searching from `from`.
    private func regionStart(from: Int) -> Int {
        var k = from
        while k < count && !LetterClass.isVowel(word[k]) { k += 1 }
        while k < count && LetterClass.isVowel(word[k]) { k += 1 }
        return k < count ? k + 1 : count
    }

    // MARK: - Step 1: standard suffixes

    /// Returns true when step 1 is complete (step 2 is skipped). `-amment`, `-emment` and
    /// `-ment` rewrite the word but return false so that step 2 still looks at the result.
    private mutating func standardSuffix() -> Bool {
        guard let (start, action) = FrenchSuffixes.standard.longestMatch(in: word, end: count, floor: 0) else {
            return false
        }
        switch action {
        case .deleteInR2:
            guard start >= r2 else { return false }
            count = start
        case .ation:
            guard start >= r2 else { return false }
            count = start
            deleteOrRewriteIc()
        case .logie:
            guard start >= r2 else { return false }
            replaceEnd(from: start, with: "log")
        case .ution:
            guard start >= r2 else { return false }
            replaceEnd(from: start, with: "u")
        case .ence:
            guard start >= r2 else { return false }
            replaceEnd(from: start, with: "ent")
        case .ement:
            guard start >= rv else { return false }
            count = start
            afterEment()
        case .ite:
            guard start >= r2 else { return false }
            count = start
            afterIte()
        case .ive:
            guard start >= r2 else { return false }
            count = start
            if has(Letter.a, Letter.t, at: count - 2) && count - 2 >= r2 {
                count -= 2
                deleteOrRewriteIc()
            }
        case .eaux:
            count -= 1
        case .aux:
            guard start >= r1 else { return false }
            replaceEnd(from: start, with: "al")
        case .oux:
            guard start > 0 && LetterClass.isOuxPluralLetter(word[start - 1]) else { return false }
            count -= 1
        case .euse:
            if start >= r2 {
                count = start
            } else if start >= r1 {
                replaceEnd(from: start, with: "eux")
            } else {
                return false
            }
        case .issement:
            guard start >= r1 && start > 0 && !LetterClass.isVowel(word[start - 1]) else { return false }
            count = start
        case .amment:
            if start >= rv { replaceEnd(from: start, with: "ant") }
            return false
        case .emment:
            if start >= rv { replaceEnd(from: start, with: "ent") }
            return false
        case .ment:
            if start > 0 && LetterClass.isVowel(word[start - 1]) && start - 1 >= rv { count = start }
            return false
        }
        return true
    }

    /// After `-ation`-like suffixes: a preceding `ic` goes if in R2, else becomes `iqU`.
    private mutating func deleteOrRewriteIc() {
        let ic = count - 2
        guard has(Letter.i, Letter.c, at: ic) else { return }
        if ic >= r2 { count = ic } else { replaceEnd(from: ic, with: "iqU") }
    }

    private mutating func afterEment() {
        guard let (start, action) = FrenchSuffixes.afterEment.longestMatch(in: word, end: count, floor: 0) else {
            return
        }
        switch action {
        case .iv:
            guard start >= r2 else { return }
            count = start
            if has(Letter.a, Letter.t, at: count - 2) && count - 2 >= r2 { count -= 2 }
        case .eus:
            if start >= r2 {
                count = start
            } else if start >= r1 {
                replaceEnd(from: start, with: "eux")
            }
        case .deleteInR2:
            if start >= r2 { count = start }
        case .ier:
            if start >= rv { replaceEnd(from: start, with: "i") }
        }
    }

    private mutating func afterIte() {
        guard let (start, action) = FrenchSuffixes.afterIte.longestMatch(in: word, end: count, floor: 0) else {
            return
        }
        switch action {
        case .abil:
            if start >= r2 { count = start } else { replaceEnd(from: start, with: "abl") }
        case .ic:
            if start >= r2 { count = start } else { replaceEnd(from: start, with: "iqU") }
        case .iv:
            if start >= r2 { count = start }
        }
    }

    // MARK: - Step 2: verb suffixes (searched in RV)

    /// 2a: `i`-verb endings, removed after a consonant in RV — but not after the `H` of
    /// `ï` (haïssait keeps its ending).
    private mutating func iVerbSuffix() -> Bool {
        guard count >= rv,
              let (start, _) = FrenchSuffixes.iVerb.longestMatch(in: word, end: count, floor: rv),
              start > rv else { return false }
        let before = word[start - 1]
        guard before != Letter.markH && !LetterClass.isVowel(before) else { return false }
        count = start
        return true
    }

    /// 2b: other verb endings.
    private mutating func verbSuffix() -> Bool {
        guard count >= rv,
              let (start, action) = FrenchSuffixes.verb.longestMatch(in: word, end: count, floor: rv) else {
            return false
        }
        switch action {
        case .ions:
            guard start >= r2 else { return false }
            count = start
        case .delete:
            count = start
        case .deleteWithE:
            // mangeant → mang: the `e` that keeps the g soft goes too, if it is in RV.
            count = start > 0 && word[start - 1] == Letter.e && start - 1 >= rv ? start - 1 : start
        case .ais:
            if let (stem, exception) = FrenchSuffixes.aisException.longestMatch(in: word, end: start, floor: 0) {
                switch exception {
                case .al: if stem == 1 { return false }
                case .always: return false
                }
            }
            count = start
        }
        return true
    }

    // MARK: - Step 3

    private mutating func restoreFinalYOrCedilla() {
        guard count > 0 else { return }
        if word[count - 1] == Letter.markY {
            word[count - 1] = Letter.i
        } else if word[count - 1] == Letter.cCedilla {
            word[count - 1] = Letter.c
        }
    }

    // MARK: - Step 4: residual suffixes

    private mutating func residualSuffix() {
        // A final `s` goes unless it follows a i o s u è — but it does go after `Hi` (maïs).
        if count >= 2 && word[count - 1] == Letter.s {
            let before = count - 2
            if has(Letter.markH, Letter.i, at: before - 1) || !LetterClass.keepsFinalS(word[before]) {
                count -= 1
            }
        }
        guard count >= rv,
              let (start, action) = FrenchSuffixes.residual.longestMatch(in: word, end: count, floor: rv) else {
            return
        }
        switch action {
        case .ion:
            guard start >= r2 && start > rv else { return }
            let before = word[start - 1]
            if before == Letter.s || before == Letter.t { count = start }
        case .ier:
            replaceEnd(from: start, with: "i")
        case .e:
            count = start
        }
    }

    // MARK: - Steps 5, 6 and postlude

    /// enn onn ett ell eill at the end lose their last letter (ancienne → ancien).
    private mutating func undouble() {
        if FrenchSuffixes.doubled.longestMatch(in: word, end: count, floor: 0) != nil {
            count -= 1
        }
    }

    /// `é`/`è` followed only by non-vowels (at least one) becomes `e` (crème → crem).
    private mutating func unaccent() {
        var k = count
        while k > 0 && !LetterClass.isVowel(word[k - 1]) { k -= 1 }
        guard k < count && k > 0 else { return }
        if word[k - 1] == Letter.eAcute || word[k - 1] == Letter.eGrave {
            word[k - 1] = Letter.e
        }
    }

    /// Markers back to letters: `I U Y` → `i u y`, `He`/`Hi` → `ë`/`ï`, and a stray `H`
    /// (left when its vowel was stripped) is dropped.
    private mutating func unmark() {
        var read = 0, write = 0
        while read < count {
            var c = word[read]
            read += 1
            switch c {
            case Letter.markI: c = Letter.i
            case Letter.markU: c = Letter.u
            case Letter.markY: c = Letter.y
            case Letter.markH:
                if read < count && word[read] == Letter.e {
                    c = Letter.eDiaeresis
                    read += 1
                } else if read < count && word[read] == Letter.i {
                    c = Letter.iDiaeresis
                    read += 1
                } else {
                    continue
                }
            default: break
            }
            word[write] = c
            write += 1
        }
        count = write
    }
}
