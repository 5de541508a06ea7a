import ChatbotErrors
/// A token after the whole analysis chain.
public struct AnalyzedToken: Sendable, Equatable {
    /// The token: normalised text (accents kept), original byte range, kind.
    public var token: Token
    /// Snowball stem of the normalised token (accents intact). For an elided word
    /// ("l'", "qu'") the stem of the full word ("le", "que"); numbers, e-mails and
    /// URLs are not stemmed (the stem is the token text).
    public var stem: String
    /// The stem with accents folded: what indexes and queries store.
    public var term: String
    /// The normalised word with accents folded, for character n-grams ("l'" → "le").
    public var folded: String
    /// True when the token is a stop word (checked on the normalised, accented word).
    public var isStopWord: Bool

    public init(token: Token, stem: String, term: String, folded: String, isStopWord: Bool) {
        self.token = token
        self.stem = stem
        self.term = term
        self.folded = folded
        self.isStopWord = isStopWord
    }
}

/// Normalise → tokenise → stop words → stem → fold accents.
///
/// - Normalisation (`Normalizer`): NFKC, case folding, apostrophes and dashes unified.
/// - Tokenisation (`Tokenizer`): French elisions, inverted pronouns, numbers, e-mails, URLs.
/// - Stop words: checked on the normalised word with its accents. By default the
///   Snowball French list *minus the negation words* (`keepNegations`).
/// - Stemming: Snowball French on the normalised lowercase word with accents.
/// - `term` = `foldAccents(stem)`: accents are folded after stemming, not before.
public struct Analyzer: Sendable {
    /// The stop words in effect (negations already removed when `keepNegations`).
    public let stopWords: StopWords
    /// Whether negation words are kept as terms (see `StopWords.negations`).
    public let keepNegations: Bool

    /// - Parameters:
    ///   - stopWords: the list to flag; `.none` flags nothing.
    ///   - keepNegations: when true (default), ne/n'/pas/plus/jamais/rien/aucun/sans…
    ///     are never stop words, so "je ne peux pas payer" keeps its negation and differs
    ///     from "je peux payer". Set false to use `stopWords` exactly as given.
    public init(stopWords: StopWords = .snowballFrench, keepNegations: Bool = true) {
        self.keepNegations = keepNegations
        self.stopWords = keepNegations ? stopWords.removing(StopWords.negations) : stopWords
    }

    /// Analyses `text`; byte ranges index `text.utf8`.
    public func analyze(_ text: String) -> [AnalyzedToken] {
        withUTF8Bytes(text) { analyze(NormalizedText(validUTF8: $0, isASCII: isAllASCII($0))) }
    }

    /// Analyses raw bytes; throws `ChatbotError.invalidUTF8` (with the offset of the first
    /// bad byte) unless they are valid UTF-8.
    public func analyze(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ChatbotError) -> [AnalyzedToken] {
        analyze(try NormalizedText(utf8: bytes))
    }

    /// The non-stop-word terms, in order.
    public func terms(_ text: String) -> [String] {
        analyze(text).compactMap { $0.isStopWord ? nil : $0.term }
    }

    /// Whole-text normalisation (NFKC, case folding, apostrophes and dashes; accents kept).
    public func normalize(_ text: String) -> String { Normalizer().normalize(text) }

    func analyze(_ text: NormalizedText) -> [AnalyzedToken] {
        var sink = AnalyzingSink(stopWords: stopWords.table)
        Tokenizer().scan(text, into: &sink)
        return sink.tokens
    }

    /// Analyses each token as the tokeniser finds it.
    /// Holds only the stop-word table, not the whole `Analyzer`: the sink is copied a few
    /// times per text, and each copy of `StopWords` retains its Set and three arrays.
    private struct AnalyzingSink: TokenSink {
        let stopWords: ByteStringSet
        var tokens: [AnalyzedToken] = []
        mutating func reserve(byteCount: Int) { tokens.reserveCapacity(byteCount / 5 + 1) }
        mutating func accept(_ token: ScannedToken) {
            tokens.append(Analyzer.analyze(token, stopWords: stopWords))
        }
    }

    private static func analyze(_ s: ScannedToken, stopWords: ByteStringSet) -> AnalyzedToken {
        let t = s.token
        switch t.kind {
        case .number, .email, .url:
            return AnalyzedToken(token: t, stem: t.text, term: t.text, folded: foldAccents(t.text),
                                 isStopWord: false)
        case .word:
            if let full = s.elisionOf {
                // "l'" is checked as "le" and as "l": a custom list may hold either.
                var text = t.text
                let stop = stopWords.contains(full)
                    || text.withUTF8 { stopWords.contains(UnsafeBufferPointer(rebasing: $0.dropLast())) }
                let stem = FrenchStemmer().stem(full)
                return AnalyzedToken(token: t, stem: stem, term: foldAccents(stem),
                                     folded: foldAccents(full), isStopWord: stop)
            }
            // One pass over the token's bytes: the stop-word check, the stem and both
            // foldings read them directly. nil stands for "the token text itself" (ASCII
            // words are their own folded form; short words are often their own stem).
            var text = t.text
            let (isStop, folded, stem, foldedStem) = text.withUTF8 { bytes in
                analyzeWord(bytes, stopWords: stopWords)
            }
            let f = folded ?? t.text
            guard let stem else {
                return AnalyzedToken(token: t, stem: t.text, term: f, folded: f, isStopWord: isStop)
            }
            return AnalyzedToken(token: t, stem: stem, term: foldedStem ?? stem, folded: f, isStopWord: isStop)
        }
    }

    /// Stop-word flag, folded form, stem and folded stem of a word's bytes; nil for the
    /// folded form or stem means "the word itself", nil for the folded stem "the stem".
    private static func analyzeWord(_ bytes: UnsafeBufferPointer<UInt8>, stopWords: ByteStringSet)
        -> (isStop: Bool, folded: String?, stem: String?, foldedStem: String?) {
        let isStop = stopWords.contains(bytes)
        let folded = isAllASCII(bytes) ? nil : foldedString(bytes)
        return FrenchStemmer().withStem(ofValidUTF8: bytes) { stemBytes in
            if stemBytes.count == bytes.count
                && (bytes.isEmpty || memoryEqual(stemBytes.baseAddress!, bytes.baseAddress!, bytes.count)) {
                return (isStop, folded, nil, nil)
            }
            let foldedStem = isAllASCII(stemBytes) ? nil : foldedString(stemBytes)
            return (isStop, folded, makeString(stemBytes), foldedStem)
        }
    }
}
