/// The three settings that turn scores into a decision the host can act on.
///
/// - `answer`: the best item scores at least `answerThreshold` and leads the next item
///   by at least `ambiguityMargin`.
/// - `suggest`: otherwise, the items scoring at least `suggestionFloor` (at most
///   `maxSuggestions` of them) are offered.
/// - `fallback`: nothing reaches the floor; the host hands over to a person.
///
/// The defaults are for calibrated confidences (an index with a learned model, see
/// `Match.score`): answer only when the item is right with an estimated probability of at
/// least 0.85 — on MASSIVE fr-FR, 5-fold cross-validation gives an answered precision of
/// 0.957 at that threshold (0.971 at 0.9, 0.946 at 0.8; README, "Accuracy"). An index built without a learned model scores by cosine, whose scale is
/// different; building it with the default settings stores `DecisionSettings.cosine` instead.
public struct DecisionSettings: Sendable, Equatable {
    public var answerThreshold: Float = 0.85
    public var ambiguityMargin: Float = 0.05
    public var suggestionFloor: Float = 0.3
    public var maxSuggestions: Int = 3
    /// Weight of the embedding cosine in the hybrid score, when both the index and the
    /// question carry vectors: `score = (1 - w) · lexical + w · embedding`.
    public var embeddingWeight: Float = 0.5

    public init() {}

    /// Defaults for cosine scores (an index without a learned model): the settings of format version 1.
    public static let cosine = DecisionSettings(answerThreshold: 0.5, ambiguityMargin: 0.05, suggestionFloor: 0.25)

    public init(answerThreshold: Float, ambiguityMargin: Float, suggestionFloor: Float,
                maxSuggestions: Int = 3, embeddingWeight: Float = 0.5) {
        self.answerThreshold = answerThreshold
        self.ambiguityMargin = ambiguityMargin
        self.suggestionFloor = suggestionFloor
        self.maxSuggestions = maxSuggestions
        self.embeddingWeight = embeddingWeight
    }

    public func validate() throws(EngineError) {
        for (name, v) in [("answer threshold", answerThreshold), ("ambiguity margin", ambiguityMargin),
                          ("suggestion floor", suggestionFloor), ("embedding weight", embeddingWeight)] {
            guard v.isFinite, v >= 0, v <= 1 else { throw .invalidArgument("\(name) must be between 0 and 1, got \(v)") }
        }
        guard suggestionFloor <= answerThreshold else {
            throw .invalidArgument("suggestion floor (\(suggestionFloor)) must not exceed the answer threshold (\(answerThreshold))")
        }
        guard (1...100).contains(maxSuggestions) else { throw .invalidArgument("max suggestions must be between 1 and 100") }
    }

    /// Reads the settings stored in an index, falling back to defaults for missing keys.
    init(meta: [String: String]) {
        func f(_ k: String, _ d: Float) -> Float { meta[k].flatMap(Float.init) ?? d }
        // A file without a learned model scores by cosine: missing keys take the cosine defaults.
        let d = meta["learn_enabled"] == "true" ? DecisionSettings() : .cosine
        answerThreshold = f("answer_threshold", d.answerThreshold)
        ambiguityMargin = f("ambiguity_margin", d.ambiguityMargin)
        suggestionFloor = f("suggestion_floor", d.suggestionFloor)
        maxSuggestions = meta["max_suggestions"].flatMap(Int.init) ?? d.maxSuggestions
        embeddingWeight = f("embedding_weight", d.embeddingWeight)
    }
}

extension FeatureOptions {
    init(meta: [String: String]) throws(EngineError) {
        self.init()
        func int(_ k: String) throws(EngineError) -> Int {
            guard let v = meta[k].flatMap(Int.init) else { throw .invalidIndex("setting \(k) is missing or malformed") }
            return v
        }
        func bool(_ k: String) throws(EngineError) -> Bool {
            guard let v = meta[k].flatMap(Bool.init) else { throw .invalidIndex("setting \(k) is missing or malformed") }
            return v
        }
        charNGramMin = try int("char_ngram_min")
        charNGramMax = try int("char_ngram_max")
        wordBigrams = try bool("word_bigrams")
        keepNegations = try bool("keep_negations")
        removeStopWords = try bool("remove_stop_words")
        charNGramsOfStopWords = try bool("char_ngrams_of_stop_words")
        // Absent from indexes written before the option existed, which always folded.
        foldAccents = meta["fold_accents"].map { $0 == "true" } ?? true
        guard let w = meta["char_block_weight"].flatMap(Float.init) else { throw .invalidIndex("setting char_block_weight is missing or malformed") }
        charBlockWeight = w
        do { try validate() } catch { throw .invalidIndex("stored feature settings are invalid: \(error)") }
    }
}

/// What the host should do with a question.
public enum Decision: String, Sendable, CaseIterable {
    case answer, suggest, fallback
}
