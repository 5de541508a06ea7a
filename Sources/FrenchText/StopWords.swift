/// A set of stop words: tokens flagged `isStopWord` and left out of `Analyzer.terms`.
///
/// Words are compared in normalised form (NFKC, case-folded, accents kept), which is the
/// form the analyser checks: "même" and "Même" are the same entry, "meme" is not.
public struct StopWords: Sendable, Equatable {
    /// The normalised words.
    public private(set) var words: Set<String> {
        didSet { table = ByteStringSet(words) }
    }
    /// Byte-level lookup table over `words`, used on the analyser's hot path.
    private(set) var table: ByteStringSet

    /// A list made of `words`, each normalised.
    public init<S: Sequence>(words: S) where S.Element == String {
        let normalizer = Normalizer()
        self.init(normalized: Set(words.map { normalizer.normalize($0) }))
    }

    private init(normalized: Set<String>) {
        words = normalized
        table = ByteStringSet(normalized)
    }

    public static func == (a: StopWords, b: StopWords) -> Bool { a.words == b.words }

    /// No stop words at all.
    public static let none = StopWords(normalized: [])

    /// The Snowball French stop-word list (snowball-french-stop.txt of Snowball 3.x),
    /// 154 words including the single letters left by elision (c d j l m n s t qu).
    /// The Snowball authors left out homonyms of content words (son, été, est, sommes, as,
    /// aura, avions…), so those are *not* stop words here either.
    public static let snowballFrench = StopWords(normalized: Set(snowballFrenchList))

    /// Negation words: "je ne peux pas me connecter" and "je peux me connecter" are
    /// different FAQ questions. With `Analyzer(keepNegations: true)` (the default) these
    /// are never stop words, whatever the list says. From the Snowball list this keeps
    /// ne, n (n'), pas and sans; the others (plus, jamais, rien, aucun…) are not Snowball
    /// stop words and are listed so that custom lists behave the same way.
    public static let negations: Set<String> = [
        "ne", "n", "pas", "plus", "jamais", "rien", "aucun", "aucune", "aucuns", "aucunes",
        "nul", "nulle", "ni", "guère", "sans",
    ]

    /// True when the normalised `word` is a stop word.
    public func contains(_ word: String) -> Bool { table.contains(word) }

    /// Adds `word` (normalised first).
    public mutating func insert(_ word: String) { words.insert(Normalizer().normalize(word)) }

    /// Removes `word` (normalised first).
    public mutating func remove(_ word: String) { words.remove(Normalizer().normalize(word)) }

    /// This list plus `other` (normalised first).
    public func adding<S: Sequence>(_ other: S) -> StopWords where S.Element == String {
        StopWords(normalized: words.union(StopWords(words: other).words))
    }

    /// This list without `other` (normalised first).
    public func removing<S: Sequence>(_ other: S) -> StopWords where S.Element == String {
        StopWords(normalized: words.subtracting(StopWords(words: other).words))
    }

    public var count: Int { words.count }
}

/// Snowball's French stop words, in the file's order (comments dropped).
let snowballFrenchList: [String] = [
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux",
    "il", "je", "la", "le", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon",
    "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa",
    "se", "ses", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
    "vous",
    // single-letter forms left by elision, and à, y
    "c", "d", "j", "l", "à", "m", "n", "s", "t", "y",
    // forms of être (not the infinitive; été, étés, est, sommes, fût omitted as homonyms)
    "étée", "étées", "étant", "suis", "es", "êtes", "sont", "serai", "seras", "sera",
    "serons", "serez", "seront", "serais", "serait", "serions", "seriez", "seraient",
    "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes", "furent",
    "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions", "fussiez",
    "fussent",
    // forms of avoir (not the infinitive; as, auras, aura, avions omitted as homonyms)
    "ayant", "eu", "eue", "eues", "eus", "ai", "avons", "avez", "ont", "aurai", "aurons",
    "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient", "avais", "avait",
    "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait", "ayons",
    "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent",
    // later additions (Jean-Christophe Deschamps)
    "ceci", "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels",
    "quelle", "quelles", "sans", "soi",
]
