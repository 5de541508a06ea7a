import ChatbotErrors
/// The settings an index stores in its META section, as `key=value` lines sorted by key.
///
/// Every key is declared once, in ``IndexMetadata/Keys``, with its type and what a file
/// without it means; the builder writes and the engine reads through that table only. A
/// value that does not parse as its type is refused, whatever the key: the file was not
/// written by this library. An absent key is refused or means a documented default, per key,
/// because older libraries wrote fewer keys.
struct IndexMetadata: Equatable {
    private(set) var values: [String: String] = [:]

    init() {}

    /// Parses the META section's text.
    init(parsing text: String) throws(ChatbotError) {
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { throw .invalidIndex("malformed settings line '\(line)'") }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
    }

    /// The META section's text: one `key=value` line per key, sorted, so that equal settings
    /// give equal bytes.
    var text: String { values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: "\n") }

    mutating func set<Value>(_ key: Key<Value>, _ value: Value) { values[key.name] = value.metaText }

    /// The key's value; when absent, its declared default, or `nil` for a key whose absence
    /// the reader interprets (``Key/Absence/readerDecides``).
    func value<Value>(_ key: Key<Value>) throws(ChatbotError) -> Value? {
        guard let text = values[key.name] else {
            switch key.absence {
            case .refused: throw .invalidIndex("setting \(key.name) is missing")
            case .means(let value): return value
            case .readerDecides: return nil
            }
        }
        guard let value = Value(metaText: text) else { throw .invalidIndex("setting \(key.name) is malformed: '\(text)'") }
        return value
    }

    /// The value of a key that cannot be absent (``Key/Absence/refused`` or ``Key/Absence/means(_:)``).
    func required<Value>(_ key: Key<Value>) throws(ChatbotError) -> Value {
        guard let value = try value(key) else { throw .invalidIndex("setting \(key.name) is missing") }
        return value
    }

    /// One META key: its name, its type (`Value`) and what a file without it means.
    struct Key<Value: MetaValue>: Sendable {
        enum Absence: Sendable {
            /// The file is refused.
            case refused
            /// Written by a library that predates the key, whose behaviour was this value.
            case means(Value)
            /// The reader chooses (documented where it reads the key).
            case readerDecides
        }
        let name: String
        let absence: Absence
    }

    /// Every key an index may hold: the single table that the writer and the reader share.
    enum Keys {
        // Features (FeatureOptions): an index cannot be matched without them.
        static let charNGramMin = Key<Int>(name: "char_ngram_min", absence: .refused)
        static let charNGramMax = Key<Int>(name: "char_ngram_max", absence: .refused)
        static let wordBigrams = Key<Bool>(name: "word_bigrams", absence: .refused)
        static let keepNegations = Key<Bool>(name: "keep_negations", absence: .refused)
        static let removeStopWords = Key<Bool>(name: "remove_stop_words", absence: .refused)
        static let charNGramsOfStopWords = Key<Bool>(name: "char_ngrams_of_stop_words", absence: .refused)
        /// Libraries before the option always folded accents.
        static let foldAccents = Key<Bool>(name: "fold_accents", absence: .means(true))
        static let charBlockWeight = Key<Float>(name: "char_block_weight", absence: .refused)

        // Decisions (DecisionSettings): absent, the defaults of the index's scale (cosine
        // without a learned model, calibrated confidence with one).
        static let answerThreshold = Key<Float>(name: "answer_threshold", absence: .readerDecides)
        static let ambiguityMargin = Key<Float>(name: "ambiguity_margin", absence: .readerDecides)
        static let suggestionFloor = Key<Float>(name: "suggestion_floor", absence: .readerDecides)
        static let maxSuggestions = Key<Int>(name: "max_suggestions", absence: .readerDecides)
        static let embeddingWeight = Key<Float>(name: "embedding_weight", absence: .readerDecides)

        /// `WordVectors.digest` of the word vectors the base was built with; absent: none.
        static let wordVectors = Key<String>(name: "word_vectors", absence: .readerDecides)

        // Learning (LearningOptions), written from format version 2 on; absent
        // `learn_enabled`: no learned model (format version 1).
        static let learnEnabled = Key<Bool>(name: "learn_enabled", absence: .means(false))
        static let learnSeed = Key<UInt64>(name: "learn_seed", absence: .means(LearningOptions().seed))
        static let learnEpochs = Key<Int>(name: "learn_epochs", absence: .means(LearningOptions().epochs))
        static let learnL2 = Key<Float>(name: "learn_l2", absence: .means(LearningOptions().l2))
        static let learnRate = Key<Float>(name: "learn_rate", absence: .means(LearningOptions().learningRate))
        static let learnFolds = Key<Int>(name: "learn_folds", absence: .means(LearningOptions().calibrationFolds))
        static let learnMaxWeights = Key<Int>(name: "learn_max_weights", absence: .means(LearningOptions().maxWeights))
        /// Libraries before embeddings entered the model did not use them.
        static let learnEmbeddingScale = Key<Float>(name: "learn_embedding_scale", absence: .means(0))
        /// Nor word vectors.
        static let learnWordVectorScale = Key<Float>(name: "learn_word_vector_scale", absence: .means(LearningOptions().wordVectorScale))
    }
}

/// A type a META value is written as, and parsed back from, exactly.
protocol MetaValue: Sendable {
    init?(metaText: String)
    var metaText: String { get }
}

extension Int: MetaValue {
    init?(metaText: String) { self.init(metaText) }
    var metaText: String { String(self) }
}

extension UInt64: MetaValue {
    init?(metaText: String) { self.init(metaText) }
    var metaText: String { String(self) }
}

extension Float: MetaValue {
    init?(metaText: String) { self.init(metaText) }
    // Swift's shortest round-trip spelling: the value read back is the value written.
    var metaText: String { description }
}

extension Bool: MetaValue {
    init?(metaText: String) { self.init(metaText) }
    var metaText: String { description }
}

extension String: MetaValue {
    init?(metaText: String) { self = metaText }
    var metaText: String { self }
}

// MARK: The settings types, written and read through the table

private typealias K = IndexMetadata.Keys

extension FeatureOptions {
    func store(in meta: inout IndexMetadata) {
        meta.set(K.charNGramMin, charNGramMin)
        meta.set(K.charNGramMax, charNGramMax)
        meta.set(K.wordBigrams, wordBigrams)
        meta.set(K.keepNegations, keepNegations)
        meta.set(K.removeStopWords, removeStopWords)
        meta.set(K.charNGramsOfStopWords, charNGramsOfStopWords)
        meta.set(K.foldAccents, foldAccents)
        meta.set(K.charBlockWeight, charBlockWeight)
    }

    /// The feature settings an index was built with.
    init(stored meta: IndexMetadata) throws(ChatbotError) {
        self.init()
        charNGramMin = try meta.required(K.charNGramMin)
        charNGramMax = try meta.required(K.charNGramMax)
        wordBigrams = try meta.required(K.wordBigrams)
        keepNegations = try meta.required(K.keepNegations)
        removeStopWords = try meta.required(K.removeStopWords)
        charNGramsOfStopWords = try meta.required(K.charNGramsOfStopWords)
        foldAccents = try meta.required(K.foldAccents)
        charBlockWeight = try meta.required(K.charBlockWeight)
        do { try validate() } catch { throw .invalidIndex("stored feature settings are invalid: \(error)") }
    }
}

extension DecisionSettings {
    func store(in meta: inout IndexMetadata) {
        meta.set(K.answerThreshold, answerThreshold)
        meta.set(K.ambiguityMargin, ambiguityMargin)
        meta.set(K.suggestionFloor, suggestionFloor)
        meta.set(K.maxSuggestions, maxSuggestions)
        meta.set(K.embeddingWeight, embeddingWeight)
    }

    /// The decision settings stored in an index; a missing key takes the default of the
    /// index's scale: `.cosine` without a learned model, `DecisionSettings()` with one.
    init(stored meta: IndexMetadata) throws(ChatbotError) {
        let d = try meta.required(K.learnEnabled) ? DecisionSettings() : .cosine
        self.init(answerThreshold: try meta.value(K.answerThreshold) ?? d.answerThreshold,
                  ambiguityMargin: try meta.value(K.ambiguityMargin) ?? d.ambiguityMargin,
                  suggestionFloor: try meta.value(K.suggestionFloor) ?? d.suggestionFloor,
                  maxSuggestions: try meta.value(K.maxSuggestions) ?? d.maxSuggestions,
                  embeddingWeight: try meta.value(K.embeddingWeight) ?? d.embeddingWeight)
    }
}

extension LearningOptions {
    func store(in meta: inout IndexMetadata) {
        meta.set(K.learnEnabled, enabled)
        meta.set(K.learnSeed, seed)
        meta.set(K.learnEpochs, epochs)
        meta.set(K.learnL2, l2)
        meta.set(K.learnRate, learningRate)
        meta.set(K.learnFolds, calibrationFolds)
        meta.set(K.learnMaxWeights, maxWeights)
        meta.set(K.learnEmbeddingScale, embeddingScale)
        meta.set(K.learnWordVectorScale, wordVectorScale)
    }

    /// The learning settings stored in an index; `nil` when it learned no model (format
    /// version 1, or learning disabled).
    init?(stored meta: IndexMetadata) throws(ChatbotError) {
        guard try meta.required(K.learnEnabled) else { return nil }
        self.init()
        seed = try meta.required(K.learnSeed)
        epochs = try meta.required(K.learnEpochs)
        l2 = try meta.required(K.learnL2)
        learningRate = try meta.required(K.learnRate)
        calibrationFolds = try meta.required(K.learnFolds)
        maxWeights = try meta.required(K.learnMaxWeights)
        embeddingScale = try meta.required(K.learnEmbeddingScale)
        wordVectorScale = try meta.required(K.learnWordVectorScale)
    }
}
