/// How questions are turned into sparse features. Stored in the index so that
/// questions are analysed at match time exactly as they were at build time.
public struct FeatureOptions: Sendable, Equatable {
    /// Character n-gram lengths taken from each word padded with spaces (`" mot "`).
    public var charNGramMin: Int = 3
    public var charNGramMax: Int = 5
    /// Adds consecutive term pairs as features.
    public var wordBigrams: Bool = false
    /// Keeps French negation words (ne, pas, jamais…) as terms instead of stop words.
    public var keepNegations: Bool = true
    /// Relative weight of the character n-gram block against the word block.
    public var charBlockWeight: Float = 1.0

    public init() {}

    func validate() throws(EngineError) {
        guard charNGramMin >= 1, charNGramMax >= charNGramMin, charNGramMax <= 8 else {
            throw .invalidArgument("character n-gram range \(charNGramMin)...\(charNGramMax) must satisfy 1 ≤ min ≤ max ≤ 8")
        }
        guard charBlockWeight.isFinite, charBlockWeight >= 0 else {
            throw .invalidArgument("charBlockWeight must be a finite number ≥ 0")
        }
    }
}
