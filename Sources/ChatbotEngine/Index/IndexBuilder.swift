#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
/// Compiles a knowledge base into the bytes of an index file: the vocabulary,
/// the precomputed unit TF-IDF vector of every question, and its inverted index.
struct IndexBuilder {
    let options: FeatureOptions
    let decision: DecisionSettings
    let synonymGroups: [[String]]
    var learning = LearningOptions()
    /// 1 writes a file older readers understand (no learned model); tests use it.
    var formatVersion: UInt32 = IndexFormat.version
    /// A previous model to start training from (checked compatible by the caller).
    var warmStart: WarmStart? = nil
    /// Static word vectors: every question's embedding is computed from them, and the index
    /// keeps them (by term) to embed each asked question the same way.
    var wordVectors: WordVectors? = nil
    /// Bases with fewer questions get no posting skip tables (see `PostingSkips`); tests lower it.
    var postingSkipMinimumQuestions = PostingSkips.minimumQuestions
    /// The index a build updates (its feature options and synonyms checked equal by the
    /// caller): questions it held are not analysed again (`PreviousAnalysis`).
    var previousImage: IndexImage? = nil

    var learns: Bool { learning.enabled && formatVersion >= 2 }

    func build(_ kb: KnowledgeBase, progress: ((Int, Int) -> Void)? = nil) throws(ChatbotError) -> [UInt8] {
        let (writer, version) = try sections(kb, progress: progress)
        return writer.serialized(engineVersion: EngineVersion.string, formatVersion: version)
    }

    /// `build`'s file in the storage an engine opens, without copying it (an index of 100,000
    /// questions is 120 MB).
    func buildStorage(_ kb: KnowledgeBase, progress: ((Int, Int) -> Void)? = nil) throws(ChatbotError) -> IndexStorage {
        let (writer, version) = try sections(kb, progress: progress)
        return try writer.serializedStorage(engineVersion: EngineVersion.string, formatVersion: version)
    }

    /// `build`'s file written straight into a new file that will replace `path`, not yet
    /// published (see `MappedOutputFile`).
    func buildFile(_ kb: KnowledgeBase, replacing path: String, progress: ((Int, Int) -> Void)? = nil) throws(ChatbotError) -> MappedOutputFile {
        let (writer, version) = try sections(kb, progress: progress)
        return try writer.serializedFile(replacing: path, engineVersion: EngineVersion.string, formatVersion: version)
    }

    /// The file's sections, and the format version to write.
    private func sections(_ kb: KnowledgeBase, progress: ((Int, Int) -> Void)?) throws(ChatbotError) -> (IndexWriter, UInt32) {
        try options.validate()
        try decision.validate()
        try learning.validate()
        guard (1...IndexFormat.version).contains(formatVersion) else {
            throw .invalidArgument("cannot write index format version \(formatVersion)")
        }
        guard !kb.items.isEmpty else { throw .invalidArgument("the knowledge base has no items") }
        try Self.checkIDs(kb)
        try Self.checkButtonTargets(kb)
        // Items without questions are reached by role or by button, never by matching: they
        // are stored apart (format version 4), and everything below sees matchable items only.
        var kb = kb
        let messageOnly = kb.items.filter { $0.questions.isEmpty }
        if !messageOnly.isEmpty {
            guard formatVersion >= 4 else {
                throw .invalidArgument("item '\(messageOnly[0].id)' has no question (index format \(formatVersion) cannot store message-only items)")
            }
            kb.items.removeAll { $0.questions.isEmpty }
            kb.sourceOrder = []
            guard !kb.items.isEmpty else { throw .invalidArgument("the knowledge base has no questions: no item can be matched") }
        }
        for group in synonymGroups {
            for entry in group where entry.contains(";") || entry.contains("\n") {
                throw .invalidArgument("synonym entry '\(entry)' contains ';' or a line break")
            }
        }
        let synonyms = try SynonymTable.forIndex(groups: synonymGroups, options: options)
        let extractor = FeatureExtractor(options: options, synonyms: synonyms)

        // 1. Every question's features, ids in order of first appearance.
        var items: [ItemRecord] = []
        var questionItems: [UInt32] = []
        var strings: [String] = []
        var questionTexts: [String] = []
        // The terms each question's static embedding is made of, gathered in the same
        // analysis as its features (only with word vectors).
        var embeddingTerms: [[String]] = []
        var embeddingDim = 0
        var hasEmbeddings = false
        for (i, item) in kb.items.enumerated() {
            guard !item.id.isEmpty else { throw .invalidArgument("item \(i + 1) has an empty id") }
            guard !item.questions.isEmpty else { throw .invalidArgument("item '\(item.id)' has no question") }
            items.append(ItemRecord(firstQuestion: UInt32(questionItems.count), questionCount: UInt32(item.questions.count),
                                    flags: item.hidden ? ItemRecord.hiddenFlag : 0,
                                    expiryDay: item.expiresAt.map { Int32(clamping: $0.daysSince1970) } ?? Int32.max))
            strings += [item.id, item.category, item.plainAnswer, Self.encodeAttributes(item.attributes)]
            for (q, question) in item.questions.enumerated() {
                // What `match` would refuse cannot be a stored question either.
                guard question.utf8.count <= MatchOptions.maxQuestionBytes else {
                    throw .invalidArgument("item '\(Self.shortened(item.id))' question \(q + 1) is \(question.utf8.count) bytes long; the limit is \(MatchOptions.maxQuestionBytes)")
                }
                questionItems.append(UInt32(i))
                questionTexts.append(question)
                if q < item.questionVectors.count, let v = item.questionVectors[q] {
                    if hasEmbeddings, v.count != embeddingDim {
                        throw .invalidArgument("item '\(item.id)' question \(q + 1) has a \(v.count)-dimensional vector; earlier vectors have \(embeddingDim)")
                    }
                    hasEmbeddings = true
                    embeddingDim = v.count
                }
            }
        }
        let nQuestions = questionItems.count
        guard nQuestions < Int(UInt32.max) else { throw .invalidArgument("too many questions") }
        // An update whose previous questions kept their order: the new posting lists come
        // from the previous ones (`PostingUpdate`), and only new questions are analysed.
        let sameAnalysis = wordVectors == nil ? previousImage.flatMap { image in
            !image.featureBlocks.isEmpty && image.engineVersion == EngineVersion.string ? image : nil
        } : nil
        var update: PostingUpdate? = nil
        if let image = sameAnalysis, let previousOf = PostingUpdate.previousQuestions(of: questionTexts, in: image),
           PostingUpdate.agrees(image, with: extractor) {
            var fresh: [(question: Int, features: RawFeatures)] = []
            for (q, p) in previousOf.enumerated() where p < 0 { fresh.append((q, extractor.extract(questionTexts[q]))) }
            update = PostingUpdate(image, previousOf: previousOf, fresh: fresh, options: options)
            if update != nil { progress?(nQuestions, nQuestions) }
        }
        // Otherwise every question's features (CSR): ids in order of first appearance,
        // counts, in extraction order. A question the previous index held is not analysed again.
        var terms = QuestionTerms()
        if update == nil {
            let reusable = sameAnalysis.flatMap { PreviousAnalysis($0, options: options) }.flatMap { $0.agrees(with: extractor) ? $0 : nil }
            var previousToNew = [UInt32](repeating: QuestionTerms.unmapped, count: reusable?.blocks.count ?? 0)
            if let reusable { terms.reserveCapacity(questions: reusable.offsets.count, terms: reusable.features.count) }
            for question in questionTexts {
                if let reusable, let p = reusable.question(question) {
                    terms.add(previousQuestion: p, of: reusable, previousToNew: &previousToNew)
                } else {
                    let tokens = extractor.analyzer.analyze(question)
                    terms.add(extractor.extract(tokens: tokens))
                    if wordVectors != nil { embeddingTerms.append(extractor.embeddingTerms(of: tokens)) }
                }
                terms.endQuestion()
                progress?(terms.questionCount, nQuestions)
            }
        }
        var termVectors: TermVectorTable? = nil
        if let wordVectors {
            guard !hasEmbeddings else {
                throw .invalidArgument("the knowledge base has question vectors and word vectors were given: use one or the other")
            }
            guard formatVersion >= 5 else { throw .invalidArgument("index format \(formatVersion) cannot store word vectors") }
            let table = TermVectorTable(wordVectors) { extractor.terms(of: extractor.analyzer.analyze($0)) }
            guard table.count > 0 else { throw .invalidArgument("no word of the word vectors is a term of this analyser") }
            termVectors = table
            hasEmbeddings = true
            embeddingDim = table.dimension
        }

        let hashes: [UInt64], documentFrequency: [Int], idf: [Float]
        var questionOffsets: [UInt32] = [0]
        var questionFeatures: [UInt32] = []
        var questionWeights: [Float] = []
        var postingOffsets: [UInt32], postingRows: [UInt32], postingWeights: [Float]
        if let update {
            (hashes, documentFrequency, idf) = (update.hashes, update.documentFrequency, update.idf)
            (postingOffsets, postingRows, postingWeights) = (update.postingOffsets, update.postingRows, update.postingWeights)
        } else {
            hashes = terms.hashes
            documentFrequency = terms.documentFrequency
            idf = documentFrequency.map { Weighting.idf(documentFrequency: $0, documentCount: nQuestions) }

            // 2. Unit question vectors (CSR, for the learner) and the inverted index.
            var postingCounts = [UInt32](repeating: 0, count: hashes.count)
            questionOffsets.reserveCapacity(nQuestions + 1)
            questionFeatures.reserveCapacity(terms.features.count)
            questionWeights.reserveCapacity(terms.features.count)
            terms.features.withUnsafeBufferPointer { features in
                terms.counts.withUnsafeBufferPointer { counts in
                    terms.blocks.withUnsafeBufferPointer { blocks in
                        idf.withUnsafeBufferPointer { idf in
                            for q in 0..<nQuestions {
                                let range = terms.range(of: q)
                                Weighting.appendVector(ids: UnsafeBufferPointer(rebasing: features[range]),
                                                       counts: UnsafeBufferPointer(rebasing: counts[range]), blocks: blocks, idf: idf,
                                                       options: options, to: &questionFeatures, &questionWeights)
                                questionOffsets.append(UInt32(questionFeatures.count))
                            }
                        }
                    }
                }
            }
            for id in questionFeatures { postingCounts[Int(id)] += 1 }
            postingOffsets = [UInt32](repeating: 0, count: hashes.count + 1)
            for f in 0..<hashes.count { postingOffsets[f + 1] = postingOffsets[f] + postingCounts[f] }
            var fill = Array(postingOffsets.dropLast())
            postingRows = [UInt32](repeating: 0, count: questionFeatures.count)
            postingWeights = [Float](repeating: 0, count: questionFeatures.count)
            // Through buffers: each subscript write of an array checks that it is unique, three
            // checks per posting in this loop.
            fill.withUnsafeMutableBufferPointer { fill in
                postingRows.withUnsafeMutableBufferPointer { rows in
                    postingWeights.withUnsafeMutableBufferPointer { weights in
                        for q in 0..<nQuestions {
                            for j in Int(questionOffsets[q])..<Int(questionOffsets[q + 1]) {
                                let f = Int(questionFeatures[j])
                                let at = Int(fill[f])
                                rows[at] = UInt32(q)
                                weights[at] = questionWeights[j]
                                fill[f] += 1
                            }
                        }
                    }
                }
            }
        }

        // 3. The learned item model, from the same vectors (and the embeddings, if any).
        let embedding = if let termVectors {
            Self.embeddingMatrix(embeddingTerms, table: termVectors)
        } else if hasEmbeddings {
            try Self.embeddingMatrix(kb, dim: embeddingDim, questionCount: nQuestions)
        } else {
            nil as (matrix: [Float], mask: [UInt8])?
        }
        var model: PendingModel? = nil
        if learns {
            // The engine's own embeddings (word vectors) weigh less than a host's model
            // embeddings: the best scale of each, measured apart (docs/accuracy.md).
            var effective = learning
            if termVectors != nil { effective.embeddingScale = learning.wordVectorScale }
            // Every item has one question: nothing to hold out, and nothing for the model to
            // learn beyond the nearest question, so the confidence is the nearest question's
            // (issue 12; a host's embeddings keep the model, which uses them). With word
            // vectors, their cosine is mixed into the nearest question's instead of the model.
            let singleQuestion = items.allSatisfy { $0.questionCount == 1 } && (termVectors != nil || !hasEmbeddings)
            if singleQuestion { effective.embeddingScale = 0 }
            var learner = ModelLearner(options: effective, itemCount: items.count, questionItems: questionItems,
                                       questionOffsets: questionOffsets, questionFeatures: questionFeatures,
                                       questionWeights: questionWeights, documentFrequency: documentFrequency,
                                       postingOffsets: postingOffsets, postingRows: postingRows, postingWeights: postingWeights,
                                       itemQuestions: items.map { (Int($0.firstQuestion), Int($0.questionCount)) })
            if let embedding, effective.embeddingScale > 0, formatVersion >= 3 {
                let stride = ItemScoring.stride(itemCount: items.count)
                // The embedding block alone must leave room for word features in the budget.
                guard (embeddingDim + 1) * stride <= learning.maxWeights else {
                    throw .invalidArgument("the learned model's \(embeddingDim) embedding rows × \(items.count) items exceed its budget of \(learning.maxWeights) weights: raise the budget or build with embedding scale 0")
                }
                learner.embeddings = embedding.matrix
                learner.embeddingDim = embeddingDim
            }
            // The learner sorts the questions it reads in place: its arrays must be its own.
            questionFeatures = []
            questionWeights = []
            if singleQuestion { learner.fixedCalibrator = termVectors == nil ? .singleQuestion : .singleQuestionWordVectors }
            let itemIDs = kb.items.map(\.id)
            let itemDigests = warmStart == nil ? nil : kb.items.map { WarmStart.questionDigest($0.questions) }
            if let update {
                // Only the questions the learner reads are made vectors of.
                let read = learner.questionsRead(warmStart: warmStart, itemIDs: itemIDs, itemDigests: itemDigests)
                (learner.questionOffsets, learner.questionFeatures, learner.questionWeights)
                    = update.questionVectors(of: read, questionCount: nQuestions)
            }
            if let shape = learner.shape() {
                let warmStart = warmStart
                model = PendingModel(shape: shape) { [learner] in
                    var learner = learner
                    return learner.learn(shape, hashes: hashes, itemIDs: itemIDs, warmStart: warmStart, itemDigests: itemDigests)
                }
            }
        }

        // 4. Vocabulary hash table at load factor ≤ 0.5.
        var capacity = 16
        while capacity < 2 * hashes.count + 1 { capacity *= 2 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var values = [UInt32](repeating: IndexImage.emptyVocabularySlot, count: capacity)
        for (id, hash) in hashes.enumerated() {
            let slot = IndexFormat.vocabularyProbe(hash, keys: keys, values: values)
            keys[slot] = hash
            values[slot] = UInt32(id)
        }

        // 5. Strings: 4 per item (id, category, answer, attributes), then the questions.
        var stringBytes: [UInt8] = []
        var stringOffsets: [UInt32] = [0]
        for s in strings + questionTexts {
            stringBytes += s.utf8
            guard stringBytes.count < Int(UInt32.max) else { throw .invalidArgument("the knowledge base text exceeds 4 GiB") }
            stringOffsets.append(UInt32(stringBytes.count))
        }

        var w = IndexWriter()
        // Default settings are meant for confidences; cosine scores get the cosine defaults.
        let settings = model == nil && decision == DecisionSettings() ? DecisionSettings.cosine : decision
        w.addText(.meta, metadata(settings: settings).text)
        w.addText(.synonyms, SynonymSection.text(synonymGroups))
        w.add(.stringBytes, stringBytes)
        w.add(.stringOffsets, stringOffsets)
        w.add(.items, items)
        w.add(.questionItems, questionItems)
        w.add(.vocabularyKeys, keys)
        w.add(.vocabularyValues, values)
        w.add(.idf, idf)
        w.add(.postingOffsets, postingOffsets)
        w.add(.postingRows, postingRows)
        w.add(.postingWeights, postingWeights)
        let skips = formatVersion >= 6 && nQuestions >= postingSkipMinimumQuestions
            ? PostingSkips(postingOffsets: postingOffsets, postingRows: postingRows, items: items) : nil
        if let skips {
            w.add(.postingSkipOffsets, skips.offsets)
            w.add(.postingSkips, skips.skips)
            if formatVersion >= 7 {
                let counts = if let update {
                    FeatureCounts(blocks: update.blocks, positions: update.repeatedPositions, counts: update.repeatedCounts)
                } else {
                    FeatureCounts(blocks: terms.blocks, termOffsets: terms.offsets, termFeatures: terms.features, termCounts: terms.counts,
                                  postingOffsets: postingOffsets, postingRows: postingRows)
                }
                w.add(.featureBlocks, counts.blocks)
                w.add(.repeatedFeaturePositions, counts.positions)
                w.add(.repeatedFeatureCounts, counts.counts)
            }
        }
        // Written empty, for older readers' shape checks (see `SectionTag.questionOffsets`).
        w.add(.questionOffsets, [UInt32](repeating: 0, count: nQuestions + 1))
        w.add(.questionFeatures, [UInt32]())
        w.add(.questionWeights, [Float]())
        if let embedding {
            w.add(.embeddings, embedding.matrix)
            w.add(.embeddingMask, embedding.mask)
        }
        if let termVectors {
            w.add(.wordVectorKeys, termVectors.keys)
            w.add(.wordVectorWeights, termVectors.weights)
            w.add(.wordVectors, termVectors.vectors)
        }
        if formatVersion >= 4 {
            var messageBytes = ByteWriter()
            var messageOffsets: [UInt32] = [0]
            for item in kb.items {
                MessageCoding.encode(item.effectiveMessages, into: &messageBytes)
                guard messageBytes.bytes.count < Int(UInt32.max) else { throw .invalidArgument("the answers exceed 4 GiB") }
                messageOffsets.append(UInt32(messageBytes.bytes.count))
            }
            w.add(.messageBytes, messageBytes.bytes)
            w.add(.messageOffsets, messageOffsets)
            w.add(.messageOnlyItems, MessageCoding.encodeExtraItems(messageOnly))
        }
        if let model {
            // Written last: the model trains on a thread of its own while every other section
            // is made and written (`PendingModel`).
            let shape = model.shape
            w.addLateSections {
                let trained = model.trained
                precondition(trained.rowOf == shape.rowOf && trained.embeddingRow == shape.embeddingRow, "the model differs from its shape")
            }
            w.add(.learnedRows, shape.rowOf)
            w.add(.learnedWeights, count: shape.weightCount) { model.trained.weights }
            w.add(.learnedBias, count: shape.stride) { model.trained.bias }
            w.add(.calibration, count: Calibrator.featureCount) { model.trained.calibrator.coefficients }
            if let first = shape.embeddingRow { w.add(.learnedEmbeddingRow, [UInt32(first)]) }
        }
        // The oldest version that holds everything, so that older libraries read what they can.
        let needed = skips != nil ? IndexFormat.version
            : termVectors != nil ? IndexFormat.versionWithWordVectors : IndexFormat.versionWithoutWordVectors
        let written = min(formatVersion, needed)
        return (w, written)
    }

    /// A build's model, trained on a thread of its own from the moment its shape is known,
    /// while the builder makes and writes every other section (`IndexWriter.addLateSections`
    /// places the model's sections last); `trained` waits for it. At 100,000 questions an
    /// update's training takes about as long as everything after it (issue 15). The thread
    /// runs exactly what `learn` ran in place: the model is the same, bit for bit.
    private final class PendingModel: @unchecked Sendable {
        let shape: LearnedModel.Shape
        private let train: () -> LearnedModel
        /// Written by the thread, read after `pthread_join`.
        private var model: LearnedModel?
        private var thread = pthread_t()
        private var running = false

        init(shape: LearnedModel.Shape, train: @escaping () -> LearnedModel) {
            self.shape = shape
            self.train = train
            // `deinit` joins the thread before the memory goes, so the unretained pointer stays
            // valid. Without a thread (the system refused one), `trained` trains in place.
            running = pthread_create(&thread, nil, { raw in
                Unmanaged<PendingModel>.fromOpaque(raw!)._withUnsafeGuaranteedRef { $0.model = $0.train() }
                return nil
            }, Unmanaged.passUnretained(self).toOpaque()) == 0
        }

        deinit { join() }

        private func join() {
            guard running else { return }
            pthread_join(thread, nil)
            running = false
        }

        var trained: LearnedModel {
            join()
            if let model { return model }
            let made = train()
            model = made
            return made
        }
    }

    private func metadata(settings decision: DecisionSettings) -> IndexMetadata {
        var meta = IndexMetadata()
        options.store(in: &meta)
        decision.store(in: &meta)
        if let wordVectors { meta.set(IndexMetadata.Keys.wordVectors, wordVectors.digest) }
        if formatVersion >= 2 {
            var l = learning
            l.enabled = learns
            l.store(in: &meta)
        }
        return meta
    }

    /// `id` for a message: at most 80 characters.
    static func shortened(_ id: String) -> String {
        id.unicodeScalars.count <= 80 ? id : String(String.UnicodeScalarView(id.unicodeScalars.prefix(79))) + "…"
    }

    /// Each question's embedding from the word vectors of its terms; a zero row (mask 0)
    /// when none of its terms has one.
    private static func embeddingMatrix(_ questionTerms: [[String]], table: TermVectorTable) -> (matrix: [Float], mask: [UInt8]) {
        let dim = table.dimension
        var matrix = [Float](repeating: 0, count: questionTerms.count * dim)
        var mask = [UInt8](repeating: 0, count: questionTerms.count)
        for (q, terms) in questionTerms.enumerated() {
            guard let v = table.embed(terms: terms) else { continue }
            matrix.replaceSubrange((q * dim)..<((q + 1) * dim), with: v)
            mask[q] = 1
        }
        return (matrix, mask)
    }

    /// Unit rows, zero rows (mask 0) for questions without a vector.
    private static func embeddingMatrix(_ kb: KnowledgeBase, dim: Int, questionCount: Int) throws(ChatbotError) -> (matrix: [Float], mask: [UInt8]) {
        var matrix = [Float](repeating: 0, count: questionCount * dim)
        var mask = [UInt8](repeating: 0, count: questionCount)
        var q = 0
        for item in kb.items {
            for k in 0..<item.questions.count {
                if k < item.questionVectors.count, let v = item.questionVectors[k] {
                    let unit = try unitVector(v, subject: "item '\(item.id)' question \(k + 1): vector")
                    matrix.replaceSubrange((q * dim)..<((q + 1) * dim), with: unit)
                    mask[q] = 1
                }
                q += 1
            }
        }
        return (matrix, mask)
    }

    /// No id may hold a control character (`ItemID`): a NUL would end it early for C hosts,
    /// so two items could look like one. Items without questions are checked too.
    static func checkIDs(_ kb: KnowledgeBase) throws(ChatbotError) {
        for (i, item) in kb.items.enumerated() {
            if let problem = ItemID.controlCharacterProblem(item.id) {
                throw .invalidArgument("item \(i + 1): \(problem)")
            }
        }
    }

    /// Every button that targets an item must name an item of the base: a dangling target
    /// would be a dead button in front of a user.
    static func checkButtonTargets(_ kb: KnowledgeBase) throws(ChatbotError) {
        let ids = Set(kb.items.map(\.id))
        for item in kb.items {
            for message in item.messages {
                for button in message.buttons {
                    if case .item(let target) = button.target, !ids.contains(target) {
                        throw .invalidArgument("item '\(item.id)': button '\(button.title)' targets item '\(target)', which is not in the base")
                    }
                }
            }
        }
    }

    /// Attributes as sorted `key\u{1F}value` pairs separated by `\u{1E}`.
    static func encodeAttributes(_ attributes: [String: String]) -> String {
        attributes.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
    }

    static func decodeAttributes(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "\u{1E}") {
            let kv = pair.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            out[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        return out
    }
}
