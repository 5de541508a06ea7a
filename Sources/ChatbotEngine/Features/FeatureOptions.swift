import ChatbotErrors
import FrenchText

/// How questions are turned into sparse features. Stored in the index so that
/// questions are analysed at match time exactly as they were at build time.
public struct FeatureOptions: Sendable, Equatable {
    /// Character n-gram lengths taken from each word padded with spaces (`" mot "`).
    public var charNGramMin: Int = 3
    public var charNGramMax: Int = 5
    /// Adds consecutive term pairs as features.
    public var wordBigrams: Bool = true
    /// With `removeStopWords`, keeps French negation words (ne, pas, jamais…) as terms.
    public var keepNegations: Bool = true
    /// Stop words (the Snowball French list) are left out of the word block. Off by
    /// default: short questions and commands hinge on them (see README, "Accuracy").
    public var removeStopWords: Bool = false
    /// Character n-grams are also taken from stop words (short commands hinge on them).
    public var charNGramsOfStopWords: Bool = false
    /// Accents are folded after stemming (terms) and in the n-gram source words, so that
    /// "télétravail" and "teletravail" meet. Off only for ablations.
    public var foldAccents: Bool = true
    /// Relative weight of the character n-gram block against the word block.
    public var charBlockWeight: Float = 1.0

    public init() {}

    /// The analyser these options describe; synonyms and questions both go through it.
    public func makeAnalyzer() -> Analyzer {
        Analyzer(keepNegations: keepNegations)
    }

    /// The word terms of analysed tokens, before synonym mapping. Synonym entries go
    /// through this too, so that an entry matches the terms a question produces.
    public func wordTerms(of tokens: [AnalyzedToken]) -> [String] {
        let kept = removeStopWords ? tokens.filter { !$0.isStopWord } : tokens
        return foldAccents ? kept.map(\.term) : kept.map(\.stem)
    }

    func validate() throws(ChatbotError) {
        guard charNGramMin >= 1, charNGramMax >= charNGramMin, charNGramMax <= 8 else {
            throw .invalidArgument("character n-gram range \(charNGramMin)...\(charNGramMax) must satisfy 1 ≤ min ≤ max ≤ 8")
        }
        guard charBlockWeight.isFinite, charBlockWeight >= 0 else {
            throw .invalidArgument("charBlockWeight must be a finite number ≥ 0")
        }
    }
}
