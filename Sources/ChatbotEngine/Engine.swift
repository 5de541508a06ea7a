import ChatbotErrors
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
    let replies: ReplyComposer
    /// The learning settings stored in the index, nil when it has no learned model.
    public let learningOptions: LearningOptions?
    /// The `WordVectors.digest` of the word vectors the index was built with, nil without them.
    public let wordVectorsDigest: String?

    private init(image: IndexImage, settings: DecisionSettings? = nil) throws(ChatbotError) {
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
        replies = ReplyComposer(image: image, fallback: reserved[.fallback] ?? [])
    }

    // MARK: Opening and building

    /// Opens a compiled index file. By default the engine reads it into a private copy and
    /// verifies it, so that nothing done to the file afterwards (rewritten, truncated,
    /// replaced) can affect it; `.map` opens in milliseconds instead (see `IndexLoading`).
    public convenience init(contentsOf path: String, loading: IndexLoading = .copy) throws(ChatbotError) {
        switch loading {
        case .copy: try self.init(image: IndexImage(storage: .reading(path: path)))
        case .map: try self.init(image: IndexImage(storage: .mapping(path: path), verifyingContents: false))
        }
    }

    /// How the index was loaded: `.map` for a mapped file, `.copy` otherwise.
    public var loading: IndexLoading { image.storage.isMapped ? .map : .copy }

    /// Verifies the index's contents if that is still to do (an index opened with `.map`),
    /// and waits when another thread is doing it. Returns at once for a verified index.
    /// Throws `.invalidIndex` for a damaged file, now and on every later call that needs
    /// the contents; hosts call it to pay the check before the first question does.
    public func verify() throws(ChatbotError) { try image.requireVerified() }

    /// Opens an index from bytes in memory (they are copied).
    public convenience init(indexBytes: UnsafeRawBufferPointer) throws(ChatbotError) {
        try self.init(image: IndexImage(storage: IndexStorage.copying(indexBytes)))
    }

    public convenience init(indexBytes: [UInt8]) throws(ChatbotError) {
        let storage = indexBytes.withUnsafeBytes { b in Result { () throws(ChatbotError) in try IndexStorage.copying(b) } }
        try self.init(image: IndexImage(storage: storage.get()))
    }

    /// Compiles a knowledge base. `synonyms` are groups of equivalent expressions.
    ///
    /// With `learning.enabled` (the default) the index also holds one learned vector per item
    /// and a calibrator fitted by cross-validation, and `Match.score` is a calibrated
    /// confidence (see `Match.score`). `warmStart`, an engine built earlier from a similar
    /// base with the same feature, synonym and learning settings, makes the build much
    /// faster: its weights are the starting point and its calibrator is kept. An incompatible
    /// `warmStart` (see `warmStartProblem`) is ignored and the build is cold. With the same
    /// feature, synonym and word-vector settings, whatever the learning settings, a
    /// `warmStart` of format 7 also spares analysing the questions it held (`FeatureCounts`):
    /// everything but the learned model is then the cold build's, byte for byte.
    ///
    /// `savingTo`: the index is also saved there, as `save(to:)` would, but written once,
    /// straight into the file's pages (a 100,000-question index is 125 MB; see
    /// `MappedOutputFile`). The file replaces `path` only once the engine has opened it and
    /// it is durable; a failure leaves `path` as it was (kind `io` for the file's own
    /// failures). The engine then maps the file (`loading == .map`): replace it only by
    /// renaming another file over it, as `build` and `save(to:)` do.
    public static func build(_ kb: KnowledgeBase, synonyms: [[String]] = [], options: FeatureOptions = FeatureOptions(),
                             settings: DecisionSettings = DecisionSettings(),
                             learning: LearningOptions = LearningOptions(), wordVectors: WordVectors? = nil,
                             warmStart: Engine? = nil, savingTo path: String? = nil,
                             progress: ((Int, Int) -> Void)? = nil) throws(ChatbotError) -> Engine {
        var builder = IndexBuilder(options: options, decision: settings, synonymGroups: synonyms)
        builder.learning = learning
        builder.wordVectors = wordVectors
        try warmStart?.verify()
        if let previous = warmStart {
            // The previous analysis of unchanged questions serves any build with the same
            // analysis; the previous model, only one that learns the same way.
            if previous.analysisProblem(synonyms: synonyms, options: options, wordVectorsDigest: wordVectors?.digest) == nil {
                builder.previousImage = previous.image
            }
            if previous.warmStartProblem(synonyms: synonyms, options: options, learning: learning, wordVectors: wordVectors) == nil {
                builder.warmStart = previous.warmStartSource
            }
        }
        guard let path else {
            let storage = try withExtendedLifetime(warmStart) { () throws(ChatbotError) in try builder.buildStorage(kb, progress: progress) }
            return try Engine(image: IndexImage(storage: storage, sealedHere: true))
        }
        let file = try withExtendedLifetime(warmStart) { () throws(ChatbotError) in
            try builder.buildFile(kb, replacing: path, progress: progress)
        }
        // The device writes while the engine checks what it opens.
        file.startWriteback()
        let engine = try Engine(image: IndexImage(storage: .mapped(file), sealedHere: true))
        try file.publish()
        return engine
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
        return analysisProblem(synonyms: synonyms, options: options, wordVectorsDigest: wordVectorsDigest)
    }

    /// Why this engine's analysis of a question may differ from a build's with these
    /// settings, or nil when it cannot.
    func analysisProblem(synonyms: [[String]], options: FeatureOptions, wordVectorsDigest: String?) -> String? {
        guard featureOptions == options else { return "feature settings differ" }
        guard image.synonymText == SynonymSection.text(synonyms) else {
            return "synonyms differ"
        }
        guard self.wordVectorsDigest == wordVectorsDigest else { return "word vectors differ" }
        return nil
    }

    /// The learned model as a starting point; valid while this engine is alive.
    var warmStartSource: WarmStart? {
        guard let model = image.model else { return nil }
        var itemIndex: [String: Int] = [:], questionDigests: [String: UInt64] = [:]
        // `WarmStart.questionDigest`'s bytes, taken from the string table in place: a
        // `String` per question was a twentieth of a one-question update at 100,000 questions.
        var bytes: [UInt8] = []
        for i in 0..<itemCount {
            let id = itemID(i)
            itemIndex[id] = i
            bytes.removeAll(keepingCapacity: true)
            let r = image.items[i]
            for q in Int(r.firstQuestion)..<Int(r.firstQuestion + r.questionCount) {
                bytes.append(contentsOf: PreviousAnalysis.questionBytes(q, of: image))
                bytes.append(WarmStart.questionSeparator)
            }
            questionDigests[id] = bytes.withUnsafeBytes { Checksum.compute($0) }
        }
        let image = self.image
        return WarmStart(featureRow: { h in
            guard let f = image.featureID(h) else { return nil }
            let r = model.rowOf[Int(f)]
            return r == LearnedModel.noRow ? nil : Int(r)
        }, itemIndex: itemIndex, weights: model.weights, bias: model.bias, stride: model.stride, calibrator: model.calibrator,
           embeddingRow: model.embeddingRow, embeddingDim: image.embeddingDim, questionDigests: questionDigests)
    }

    /// The synonym groups stored in the index.
    public var synonymGroups: [[String]] {
        SynonymSection.groups(image.synonymText)
    }

    /// Whether the index holds a learned item model (scores are then calibrated confidences).
    public var hasLearnedModel: Bool { image.model != nil }

    /// The same index with other decision settings.
    public func withSettings(_ settings: DecisionSettings) throws(ChatbotError) -> Engine {
        try settings.validate()
        return try Engine(image: image, settings: settings)
    }

    /// The index file's bytes.
    public var indexBytes: [UInt8] { Array(image.storage.bytes) }

    /// The index file's bytes in place, without `indexBytes`'s copy; valid while the engine lives.
    package var indexBuffer: UnsafeRawBufferPointer { image.storage.bytes }

    /// Writes the index file to `path` atomically (readers of `path` see the old file or the
    /// new one, never a mix): a temporary file in the same folder, `fsync`, `rename`.
    /// Throws `.io` naming the path when it cannot be written.
    public func save(to path: String) throws(ChatbotError) {
        try verify()
        do { try withExtendedLifetime(self) { () throws(ChatbotError) in try writeFileAtomically(path, bytes: indexBuffer) } } catch { throw .io(error.description) }
    }

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
    public func itemMessages(_ item: Int) throws(ChatbotError) -> [Message] {
        try verify()
        return try image.itemMessages(item)
    }
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
    public func item(id: String) throws(ChatbotError) -> KnowledgeItem? {
        try verify()
        if let k = image.itemIndex(ofID: id) {
            return KnowledgeItem(id: id, category: itemCategory(k), questions: itemQuestions(k), answer: itemAnswer(k),
                                 hidden: isHidden(k), expiresAt: itemExpiry(k), attributes: itemAttributes(k),
                                 messages: try itemMessages(k))
        }
        return image.messageOnlyItems.first { $0.id == id }
    }

    // MARK: Matching

    /// Answers one question. Throws on invalid options, and `.invalidIndex` when the
    /// contents of an index opened with `.map` turn out to be damaged (see `verify()`).
    public func match(_ question: String, options: MatchOptions = MatchOptions()) throws(ChatbotError) -> MatchResult {
        try options.validate(question: question)
        try verify()
        // The decision needs the runner-up for its margin test, whatever `topK` the host
        // wants back: with one candidate, `--top 1` used to answer where `--top 5` suggested.
        let matches = try matcher.rank(question, options: options, embeddingWeight: settings.embeddingWeight,
                                       count: max(options.topK, 2))
        var result = (options.settings ?? settings).decide(matches, keeping: options.topK)
        if options.buildsReply { result.reply = try replies.reply(to: result) }
        return result
    }

    // MARK: Explaining

    /// Analysed tokens of `text` and the terms left after synonym mapping.
    public func analyze(_ text: String) -> (tokens: [AnalyzedToken], terms: [String]) {
        let tokens = matcher.extractor.analyzer.analyze(text)
        return (tokens, matcher.extractor.terms(of: tokens))
    }
}
