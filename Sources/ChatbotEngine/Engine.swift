import FrenchText

/// A compiled knowledge base, ready to answer questions.
///
/// An engine is immutable once opened: any number of threads may call `match` on the
/// same instance at once, without locks (each call allocates its own scratch space).
public final class Engine: Sendable {
    let image: IndexImage
    let matcher: Matcher
    /// Decision settings in force; stored in the index, overridable with `withSettings`.
    public let settings: DecisionSettings
    public let featureOptions: FeatureOptions
    /// The reserved items' messages, decoded once at open (a fallback reply must not scan
    /// the ids of a large base); empty when the base lacks the item.
    let reservedMessages: [ItemRole: [Message]]
    /// The learning settings stored in the index, nil when it has no learned model.
    public let learningOptions: LearningOptions?
    /// The `WordVectors.digest` of the word vectors the index was built with, nil without them.
    public let wordVectorsDigest: String?

    private init(image: IndexImage, settings: DecisionSettings? = nil) throws(EngineError) {
        self.image = image
        var reserved: [ItemRole: [Message]] = [:]
        for role in [ItemRole.welcome, .fallback, .feedback] {
            let id = role == .welcome ? ItemRole.welcomeID : role == .fallback ? ItemRole.fallbackID : ItemRole.feedbackID
            if let k = image.itemIndex(ofID: id) {
                reserved[role] = try image.itemMessages(k)
            } else if let item = image.messageOnlyItems.first(where: { $0.id == id }) {
                reserved[role] = item.effectiveMessages
            }
        }
        reservedMessages = reserved
        let options = try FeatureOptions(stored: image.meta)
        featureOptions = options
        if let settings { self.settings = settings } else { self.settings = try DecisionSettings(stored: image.meta) }
        learningOptions = image.model == nil ? nil : try LearningOptions(stored: image.meta)
        wordVectorsDigest = try image.meta.value(IndexMetadata.Keys.wordVectors)
        let synonyms: SynonymTable
        do {
            synonyms = try SynonymTable.forIndex(groups: SynonymSection.groups(image.synonymText), options: options)
        } catch {
            throw .invalidIndex("stored synonyms are invalid: \(error)")
        }
        matcher = Matcher(image: image, extractor: FeatureExtractor(options: options, synonyms: synonyms))
    }

    // MARK: Opening and building

    /// Opens a compiled index file. The engine reads it into a private copy, so that nothing
    /// done to the file afterwards (rewritten, truncated, replaced) can affect it.
    public convenience init(contentsOf path: String) throws(EngineError) {
        try self.init(image: IndexImage(storage: .reading(path: path)))
    }

    /// Opens an index from bytes in memory (they are copied).
    public convenience init(indexBytes: UnsafeRawBufferPointer) throws(EngineError) {
        try self.init(image: IndexImage(storage: IndexStorage.copying(indexBytes)))
    }

    public convenience init(indexBytes: [UInt8]) throws(EngineError) {
        let storage = indexBytes.withUnsafeBytes { b in Result { () throws(EngineError) in try IndexStorage.copying(b) } }
        try self.init(image: IndexImage(storage: storage.get()))
    }

    /// Compiles a knowledge base. `synonyms` are groups of equivalent expressions.
    ///
    /// With `learning.enabled` (the default) the index also holds one learned vector per item
    /// and a calibrator fitted by cross-validation, and `Match.score` is a calibrated
    /// confidence (see `Match.score`). `warmStart`, an engine built earlier from a similar
    /// base with the same feature, synonym and learning settings, makes the build much
    /// faster: its weights are the starting point and its calibrator is kept. An incompatible
    /// `warmStart` (see `warmStartProblem`) is ignored and the build is cold.
    public static func build(_ kb: KnowledgeBase, synonyms: [[String]] = [], options: FeatureOptions = FeatureOptions(),
                             settings: DecisionSettings = DecisionSettings(),
                             learning: LearningOptions = LearningOptions(), wordVectors: WordVectors? = nil,
                             warmStart: Engine? = nil,
                             progress: ((Int, Int) -> Void)? = nil) throws(EngineError) -> Engine {
        var builder = IndexBuilder(options: options, decision: settings, synonymGroups: synonyms)
        builder.learning = learning
        builder.wordVectors = wordVectors
        if let previous = warmStart,
           previous.warmStartProblem(synonyms: synonyms, options: options, learning: learning, wordVectors: wordVectors) == nil {
            builder.warmStart = previous.warmStartSource
        }
        let bytes = try withExtendedLifetime(warmStart) { () throws(EngineError) in try builder.build(kb, progress: progress) }
        return try Engine(indexBytes: bytes)
    }

    /// Why this engine cannot warm-start a build with these settings, or nil when it can.
    public func warmStartProblem(synonyms: [[String]] = [], options: FeatureOptions = FeatureOptions(),
                                 learning: LearningOptions = LearningOptions(), wordVectors: WordVectors? = nil) -> String? {
        warmStartProblem(synonyms: synonyms, options: options, learning: learning, wordVectorsDigest: wordVectors?.digest)
    }

    /// `warmStartProblem` for word vectors known by their `WordVectors.digest` (nil: none).
    public func warmStartProblem(synonyms: [[String]], options: FeatureOptions, learning: LearningOptions,
                                 wordVectorsDigest: String?) -> String? {
        guard learning.enabled else { return "the new build does not learn a model" }
        guard let stored = learningOptions else { return "the previous index has no learned model" }
        guard stored == learning else { return "learning settings differ" }
        guard featureOptions == options else { return "feature settings differ" }
        guard image.synonymText == SynonymSection.text(synonyms) else {
            return "synonyms differ"
        }
        guard self.wordVectorsDigest == wordVectorsDigest else { return "word vectors differ" }
        return nil
    }

    /// The learned model as a starting point; valid while this engine is alive.
    private var warmStartSource: WarmStart? {
        guard let model = image.model else { return nil }
        var itemIndex: [String: Int] = [:]
        for i in 0..<itemCount { itemIndex[itemID(i), default: i] = i }
        let image = self.image
        return WarmStart(featureRow: { h in
            guard let f = image.featureID(h) else { return nil }
            let r = model.rowOf[Int(f)]
            return r == LearnedModel.noRow ? nil : Int(r)
        }, itemIndex: itemIndex, weights: model.weights, bias: model.bias, stride: model.stride, calibrator: model.calibrator,
           embeddingRow: model.embeddingRow, embeddingDim: image.embeddingDim)
    }

    /// The synonym groups stored in the index.
    public var synonymGroups: [[String]] {
        SynonymSection.groups(image.synonymText)
    }

    /// Whether the index holds a learned item model (scores are then calibrated confidences).
    public var hasLearnedModel: Bool { image.model != nil }

    /// The same index with other decision settings.
    public func withSettings(_ settings: DecisionSettings) throws(EngineError) -> Engine {
        try settings.validate()
        return try Engine(image: image, settings: settings)
    }

    /// The index file's bytes.
    public var indexBytes: [UInt8] { Array(image.storage.bytes) }

    // MARK: Facts

    public var itemCount: Int { image.itemCount }
    public var questionCount: Int { image.questionCount }
    public var featureCount: Int { image.featureCount }
    /// Dimension of the stored question embeddings, 0 when the base has none.
    public var embeddingDimension: Int { image.embeddingDim }
    /// Whether the index embeds questions itself, from static word vectors (then no query
    /// vector may be passed).
    public var hasWordVectors: Bool { image.wordVectors != nil }
    /// Number of terms that have a static word vector, 0 without them.
    public var wordVectorTermCount: Int { image.wordVectors?.keys.count ?? 0 }
    public var formatVersion: Int { Int(image.formatVersion) }
    /// Version of the library that wrote the index.
    public var writerVersion: String { image.engineVersion }

    public func itemID(_ item: Int) -> String { image.itemID(item) }
    public func itemAnswer(_ item: Int) -> String { image.itemAnswer(item) }
    public func itemCategory(_ item: Int) -> String { image.itemCategory(item) }
    public func itemQuestions(_ item: Int) -> [String] {
        let r = image.items[item]
        return (Int(r.firstQuestion)..<Int(r.firstQuestion + r.questionCount)).map(image.questionText)
    }
    public func itemAttributes(_ item: Int) -> [String: String] { IndexBuilder.decodeAttributes(image.itemAttributes(item)) }
    public func isHidden(_ item: Int) -> Bool { image.items[item].flags & ItemRecord.hiddenFlag != 0 }
    /// The item's messages (its plain answer as one text for indexes before format 4).
    public func itemMessages(_ item: Int) throws(EngineError) -> [Message] { try image.itemMessages(item) }
    public func itemExpiry(_ item: Int) -> CalendarDate? {
        let day = image.items[item].expiryDay
        return day == Int32.max ? nil : CalendarDate(daysSince1970: Int(day))
    }

    /// Number of items without questions (reserved messages, button targets), which
    /// `itemCount` does not include since they are never matched.
    public var messageOnlyItemCount: Int { image.messageOnlyItems.count }

    /// Every item's id: the matchable items (`itemID(0..<itemCount)`), then the items
    /// without questions; each is a valid `item(id:)` argument.
    public var allItemIDs: [String] { (0..<itemCount).map(itemID) + image.messageOnlyItems.map(\.id) }

    /// The item with this id, matchable or not, as the source described it (questions,
    /// messages, category, hidden, expiry), or nil when the base has no such id. This is how
    /// a host follows a button that targets an item: no matching is involved. Hidden and
    /// expired items are returned too (their flags say so); the host decides.
    /// Throws only for a damaged index.
    public func item(id: String) throws(EngineError) -> KnowledgeItem? {
        if let k = image.itemIndex(ofID: id) {
            return KnowledgeItem(id: id, category: itemCategory(k), questions: itemQuestions(k), answer: itemAnswer(k),
                                 hidden: isHidden(k), expiresAt: itemExpiry(k), attributes: itemAttributes(k),
                                 messages: try itemMessages(k))
        }
        return image.messageOnlyItems.first { $0.id == id }
    }

    // MARK: Matching

    /// Answers one question. Throws only on invalid options.
    public func match(_ question: String, options: MatchOptions = MatchOptions()) throws(EngineError) -> MatchResult {
        guard options.topK >= 1, options.topK <= MatchOptions.maxTopK else {
            throw .invalidArgument("top-k must be between 1 and \(MatchOptions.maxTopK), got \(options.topK)")
        }
        try options.settings?.validate()
        guard question.utf8.count <= MatchOptions.maxQuestionBytes else {
            throw .invalidArgument("the question is \(question.utf8.count) bytes long; the limit is \(MatchOptions.maxQuestionBytes)")
        }
        let tokens = matcher.extractor.analyzer.analyze(question)
        let vector = matcher.vector(matcher.extractor.extract(tokens: tokens))
        var scores = matcher.lexicalScores(vector)
        var unitQuery: [Float]? = nil
        if let wordVectors = image.wordVectors {
            guard options.queryVector == nil else {
                throw .invalidArgument("this index embeds questions itself with its word vectors: do not pass a query vector")
            }
            // A question none of whose words has a vector has no embedding: the model's
            // embedding rows then add nothing, as for such questions at build time.
            unitQuery = wordVectors.embed(terms: matcher.extractor.embeddingTerms(of: tokens))
        } else if let query = options.queryVector {
            guard image.embeddingDim > 0 else {
                throw .invalidArgument("this index has no question embeddings; build it with vectors to use a query vector")
            }
            guard query.count == image.embeddingDim else {
                throw .invalidArgument("query vector has dimension \(query.count), the index's embeddings have \(image.embeddingDim)")
            }
            unitQuery = try unitVector(query, subject: "query vector")
        }
        // A model with embedding rows takes the embedding as an input; its calibrator was
        // fitted on the lexical cosine, so the cosine stays lexical (mixing it would make
        // confidences overconfident: answered precision 0.935 instead of 0.953 on MASSIVE).
        // Otherwise the embedding, the host's or the word vectors', enters the cosine.
        if let unit = unitQuery, image.model?.embeddingRow == nil {
            matcher.mixEmbeddings(&scores, query: unit, weight: settings.embeddingWeight)
        }
        // A model trained with embeddings among its inputs leans on them: asked without a
        // vector it loses 18 points of top-1 on MASSIVE (0.688 vs 0.870) with no visible sign.
        // Refusing makes the mismatch visible at the first question instead.
        if unitQuery == nil, image.model?.embeddingRow != nil, image.wordVectors == nil {
            throw .invalidArgument("this index's learned model takes question embeddings as input: pass the question's vector (query vector), or rebuild the index with embedding scale 0")
        }
        let today = options.today?.daysSince1970 ?? currentDaySince1970()
        let categoryFilter = options.category
        let eligible = { (item: Int) -> Bool in
            let r = self.image.items[item]
            if r.flags & ItemRecord.hiddenFlag != 0 { return false }
            if Int(r.expiryDay) < today { return false }
            if let c = categoryFilter, self.image.itemCategory(item) != c { return false }
            return true
        }
        // The decision needs the runner-up for its margin test, whatever `topK` the host
        // wants back: with one candidate, `--top 1` used to answer where `--top 5` suggested.
        let k = max(options.topK, 2)
        let top = if let model = image.model {
            matcher.topItemsLearned(scores, vector: vector, query: unitQuery, model: model, k: k, eligible: eligible)
        } else {
            matcher.topItems(scores, k: k, eligible: eligible)
        }
        let matches = top.map { t in
            Match(itemIndex: t.item, id: image.itemID(t.item), score: min(1, t.score), question: image.questionText(t.question),
                  questionIndex: t.question, answer: image.itemAnswer(t.item), category: image.itemCategory(t.item))
        }
        var result = Self.decide(matches, settings: options.settings ?? settings)
        if matches.count > options.topK {
            result.matches.removeLast(matches.count - options.topK)
            result.suggestions.removeAll { $0 >= options.topK }
            if result.decision != .answer { result.suggestionCount = result.suggestions.count }
            if result.decision == .suggest && result.suggestions.isEmpty { result.decision = .fallback }
        }
        if options.buildsReply {
            result.reply = try reply(decision: result.decision, matches: result.matches, suggestions: result.suggestions)
        }
        return result
    }

    /// The decision rule (see `DecisionSettings`), with the Usine à chatbots' roles:
    /// a question that lands on `phrase_hors_sujet` (examples of out-of-scope input) is a
    /// fallback; reserved and small-talk items answer as usual but are never suggested.
    static func decide(_ matches: [Match], settings: DecisionSettings) -> MatchResult {
        guard let first = matches.first else { return MatchResult(decision: .fallback, matches: [], suggestionCount: 0) }
        // Matches are best first: stop at the floor or when enough are found (roles are
        // looked up only for the candidates).
        var suggestions: [Int] = []
        for k in matches.indices {
            guard matches[k].score >= settings.suggestionFloor, suggestions.count < settings.maxSuggestions else { break }
            if matches[k].role.isSuggestible { suggestions.append(k) }
        }
        if ItemRole(id: first.id) == .fallback {
            return MatchResult(decision: .fallback, matches: matches, suggestionCount: suggestions.count, suggestions: suggestions)
        }
        let lead = first.score - (matches.count > 1 ? matches[1].score : 0)
        if first.score >= settings.answerThreshold && lead >= settings.ambiguityMargin {
            return MatchResult(decision: .answer, matches: matches, suggestionCount: 1, suggestions: [0])
        }
        if !suggestions.isEmpty {
            return MatchResult(decision: .suggest, matches: matches, suggestionCount: suggestions.count, suggestions: suggestions)
        }
        return MatchResult(decision: .fallback, matches: matches, suggestionCount: 0)
    }

    // MARK: Explaining

    /// Analysed tokens of `text` and the terms left after synonym mapping.
    public func analyze(_ text: String) -> (tokens: [AnalyzedToken], terms: [String]) {
        let tokens = matcher.extractor.analyzer.analyze(text)
        return (tokens, matcher.extractor.terms(of: tokens))
    }
}
