/// The small closed word lists that drive the French tokeniser rules.
enum FrenchClitics {
    /// Elided words written with an apostrophe, and the full word each stands for.
    /// The tokeniser emits them as separate tokens ("l'", "jusqu'"); the analyser stems
    /// and stop-word-checks the full word, so "n'" and "ne" give the same term.
    /// `s'` is read as "se" (in "s'il" it is "si"; both are grammatical words).
    static let elisions: [(elided: [UInt8], full: String)] = [
        ("l", "le"), ("d", "de"), ("j", "je"), ("m", "me"), ("n", "ne"), ("s", "se"),
        ("t", "te"), ("c", "ce"), ("qu", "que"), ("jusqu", "jusque"), ("lorsqu", "lorsque"),
        ("puisqu", "puisque"), ("quoiqu", "quoique"), ("presqu", "presque"),
    ].map { (Array($0.0.utf8), $0.1) }

    /// Full word of an elided prefix (without its apostrophe), or nil if it is not one.
    static func fullForm(ofElided piece: UnsafeBufferPointer<UInt8>) -> String? {
        if piece.count > 6 { return nil }
        for e in elisions where e.elided.elementsEqual(piece) { return e.full }
        return nil
    }

    /// Words whose apostrophe is not an elision, as (part before, allowed parts after).
    /// "presqu'île" is the one common noun built on an elided "presque".
    static let apostropheWords: [(before: [UInt8], after: [[UInt8]], prefixMatch: Bool)] = [
        ("aujourd", ["hui"], false),
        ("prud", ["hom"], true),  // prud'homme(s), prud'homal(e), prud'homie…
        ("quelqu", ["un", "une", "uns", "unes"], false),
        ("presqu", ["île", "îles"], false),
    ].map { (Array($0.0.utf8), $0.1.map { Array($0.utf8) }, $0.2) }

    /// True when `before` + `'` + `after` is one word that must stay whole.
    static func keepsApostrophe(before: UnsafeBufferPointer<UInt8>, after: UnsafeBufferPointer<UInt8>) -> Bool {
        for w in apostropheWords where w.before.elementsEqual(before) {
            for a in w.after {
                if w.prefixMatch ? after.starts(with: a) : a.elementsEqual(after) { return true }
            }
        }
        return false
    }

    /// Pronouns that follow a verb in inversion or the imperative ("a-t-il", "donne-moi",
    /// "allez-y"): je tu il elle on nous vous ils elles ce moi toi lui leur les le la en y,
    /// plus the demonstrative particles ci and là ("ce mois-ci" must still match "mois").
    /// They are split off only at the end of a hyphenated word, so "arc-en-ciel" stays whole.
    static let invertedPronouns: [[UInt8]] = [
        "je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ce", "moi", "toi",
        "lui", "leur", "les", "le", "la", "en", "y", "ci", "là",
    ].map { Array($0.utf8) }

    static func isInvertedPronoun(_ part: UnsafeBufferPointer<UInt8>) -> Bool {
        if part.count > 5 { return false }
        for w in invertedPronouns where w.elementsEqual(part) { return true }
        return false
    }

    /// Hyphenated words that look like verb + pronoun but are lexicalised nouns.
    static let hyphenatedWords: [[UInt8]] = ["rendez-vous"].map { Array($0.utf8) }

    static func keepsHyphens(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        hyphenatedWords.contains { $0.elementsEqual(word) }
    }
}
