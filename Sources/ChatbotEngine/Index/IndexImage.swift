import ChatbotErrors
#if canImport(Glibc)
import Glibc
#endif
/// A validated index file, read in place: every array is a typed view into the storage.
///
/// Validation checks the header, the checksum, every section's bounds and alignment, and
/// every stored offset or id that the matcher later uses without bounds checks. A file
/// that passes cannot make the matcher read out of bounds.
///
/// It comes in two parts. The layout (header, section table, item and string tables: work
/// in the number of items and questions) is always checked at open. The contents (the
/// body's checksum, posting lists, question vectors, vocabulary, learned weights, word
/// vectors: work in the file's size) are checked at open too, unless the image is opened
/// with `verifyingContents: false`; `requireVerified()` then checks them once, the first
/// time anything needs them, and every later call returns that outcome.
struct IndexImage: @unchecked Sendable {
    let storage: IndexStorage
    /// The pending content check; nil when the contents were verified at open.
    private let verification: ContentVerification?
    let formatVersion: UInt32
    let engineVersion: String
    let meta: IndexMetadata

    let stringBytes: UnsafeBufferPointer<UInt8>
    let stringOffsets: UnsafeBufferPointer<UInt32>
    let items: UnsafeBufferPointer<ItemRecord>
    let questionItems: UnsafeBufferPointer<UInt32>
    let vocabularyKeys: UnsafeBufferPointer<UInt64>
    let vocabularyValues: UnsafeBufferPointer<UInt32>
    let idf: UnsafeBufferPointer<Float>
    let postingOffsets: UnsafeBufferPointer<UInt32>
    let postingRows: UnsafeBufferPointer<UInt32>
    let postingWeights: UnsafeBufferPointer<Float>
    /// Where each item's run starts in the long posting lists (`PostingSkips`); both empty
    /// in files without them (before format 6, or below 2,000 questions).
    let postingSkipOffsets: UnsafeBufferPointer<UInt32>
    let postingSkips: UnsafeBufferPointer<UInt32>
    /// Each feature's block and the counts above one (`FeatureCounts`); all empty in files
    /// without them (before format 7, or below 2,000 questions).
    let featureBlocks: UnsafeBufferPointer<UInt8>
    let repeatedFeaturePositions: UnsafeBufferPointer<UInt32>
    let repeatedFeatureCounts: UnsafeBufferPointer<UInt32>
    let synonymText: String
    /// Row-major unit vectors (questions × embeddingDim); empty when the base has none.
    let embeddings: UnsafeBufferPointer<Float>
    let embeddingMask: UnsafeBufferPointer<UInt8>
    let embeddingDim: Int
    /// Version 5: static word vectors by term; when present, `embeddings` were computed from
    /// them and the engine embeds each question itself (`TermVectorTable`).
    let wordVectors: WordVectorView?
    /// The learned item model (version 2); nil for version-1 files and bases built without it.
    let model: ModelView?
    /// Version 4: each matchable item's encoded messages (`MessageCoding`); empty before,
    /// when the plain answer stands for the messages.
    let messageBytes: UnsafeBufferPointer<UInt8>
    let messageOffsets: UnsafeBufferPointer<UInt32>
    /// Version 4: the items without questions, decoded at open (a handful: reserved ids and
    /// button targets).
    let messageOnlyItems: [KnowledgeItem]

    /// The learned sections, validated: every row index is in the matrix, every float is finite.
    struct ModelView {
        let rowOf: UnsafeBufferPointer<UInt32>
        let weights: UnsafeBufferPointer<Float>
        let bias: UnsafeBufferPointer<Float>
        let stride: Int
        let calibrator: Calibrator
        /// First row of the embedding block (`embeddingDim` rows, scaled weights); nil when
        /// the model does not use embeddings.
        let embeddingRow: Int?

        /// The content checks: every row index in the matrix, every float finite.
        func verify() throws(ChatbotError) {
            let featureRows = embeddingRow ?? weights.count / stride
            guard rowOf.allSatisfy({ $0 == LearnedModel.noRow || Int($0) < featureRows }) else {
                throw .invalidIndex("learned model: a feature refers to a missing row")
            }
            guard IndexImage.allFinite(weights), IndexImage.allFinite(bias) else {
                throw .invalidIndex("learned model: weights are not finite")
            }
        }
    }

    /// `TermVectorTable`'s arrays, read in place and validated.
    struct WordVectorView {
        let keys: UnsafeBufferPointer<UInt64>
        let weights: UnsafeBufferPointer<Float>
        let vectors: UnsafeBufferPointer<UInt16>
        let dimension: Int

        func embed(terms: [String]) -> [Float]? {
            TermVectorTable.embed(terms: terms, keys: keys, weights: weights, vectors: vectors, dimension: dimension)
        }

        /// The content checks: keys strictly increasing (the lookup is a binary search),
        /// weights finite and ≥ 0, Float16 values finite.
        func verify() throws(ChatbotError) {
            func fail(_ m: String) -> ChatbotError { .invalidIndex("word vectors: \(m)") }
            for i in 1..<keys.count where keys[i - 1] >= keys[i] { throw fail("terms are not in increasing order") }
            guard IndexImage.allFinite(weights), weights.allSatisfy({ $0 >= 0 }) else { throw fail("a weight is negative or not finite") }
            // A Float16 is finite iff its exponent bits are not all ones.
            var bad: UInt16 = 0
            for b in vectors { bad |= (b & 0x7C00) == 0x7C00 ? 1 : 0 }
            guard bad == 0 else { throw fail("a value is not finite") }
        }
    }

    var itemCount: Int { items.count }
    var questionCount: Int { questionItems.count }
    var featureCount: Int { idf.count }

    static let emptyVocabularySlot = IndexFormat.emptyVocabularySlot

    /// Validates `storage`: all of it, or with `verifyingContents: false` its layout only
    /// (see the type's comment). `sealedHere`: the bytes were just serialized and sealed by
    /// this process (`IndexWriter`), so their body checksum is not computed again (a pass
    /// over 125 MB at 100,000 questions); everything else is still checked.
    init(storage: IndexStorage, verifyingContents: Bool = true, sealedHere: Bool = false) throws(ChatbotError) {
        self.storage = storage
        verification = verifyingContents ? nil : ContentVerification()
        let file = storage.bytes
        func fail(_ m: String) -> ChatbotError { .invalidIndex(m) }
        guard file.count >= IndexFormat.headerSize else {
            throw fail("file is truncated: \(file.count) bytes, smaller than the \(IndexFormat.headerSize)-byte header")
        }
        guard Array(file[0..<8]) == IndexFormat.magic else {
            throw fail("not a libchatbot index (bad magic number)")
        }
        formatVersion = file.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        engineVersion = String(decoding: file[16..<32].prefix { $0 != 0 }, as: UTF8.self)
        // The header checksum first: when present it vouches for every other header field,
        // so that a damaged version or size is reported as damage, not as an old file.
        let storedHeaderSum = file.loadUnaligned(fromByteOffset: IndexFormat.headerChecksumOffset, as: UInt64.self).littleEndian
        if storedHeaderSum != 0 {
            guard storedHeaderSum == IndexFormat.headerChecksum(file) else {
                throw fail("file is corrupted (header checksum mismatch)")
            }
        }
        guard formatVersion <= IndexFormat.version else {
            throw fail("index format version \(formatVersion) (written by libchatbot \(engineVersion)) is newer than this library's format version \(IndexFormat.version); upgrade libchatbot or rebuild the index")
        }
        guard formatVersion >= 1 else { throw fail("index format version \(formatVersion) is not valid") }
        let headerSize = file.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian
        guard headerSize == UInt32(IndexFormat.headerSize) else {
            throw fail("header size is \(headerSize), expected \(IndexFormat.headerSize)")
        }
        guard file[16..<32].drop(while: { $0 != 0 }).allSatisfy({ $0 == 0 }), file[52..<56].allSatisfy({ $0 == 0 }) else {
            throw fail("reserved header bytes are not zero")
        }
        let declaredSize = file.loadUnaligned(fromByteOffset: 32, as: UInt64.self).littleEndian
        guard declaredSize == UInt64(file.count) else {
            throw fail(declaredSize > UInt64(file.count)
                ? "file is truncated: header declares \(declaredSize) bytes, file has \(file.count)"
                : "file has \(UInt64(file.count) - declaredSize) unexpected trailing bytes")
        }
        // Verified first when verifying now: a damaged body is then reported as damage
        // rather than as whichever layout rule the damage happens to break.
        if verifyingContents && !sealedHere { try Self.verifyChecksum(file) }

        let sectionCount = Int(file.loadUnaligned(fromByteOffset: 48, as: UInt32.self).littleEndian)
        let tableEnd = IndexFormat.headerSize + sectionCount * IndexFormat.sectionEntrySize
        guard sectionCount <= 1024, tableEnd <= file.count else { throw fail("section table is out of bounds") }
        var table: [SectionTag: (elementSize: Int, offset: Int, count: Int)] = [:]
        // Sections follow the table in table order without overlapping: a file whose sections
        // alias each other (or the header) could pass every per-section check.
        var nextFree = UInt64(tableEnd)
        for i in 0..<sectionCount {
            let e = IndexFormat.headerSize + i * IndexFormat.sectionEntrySize
            let tag = SectionTag(rawValue: file.loadUnaligned(fromByteOffset: e, as: UInt32.self).littleEndian)
            let size = Int(file.loadUnaligned(fromByteOffset: e + 4, as: UInt32.self).littleEndian)
            let offset = file.loadUnaligned(fromByteOffset: e + 8, as: UInt64.self).littleEndian
            let count = file.loadUnaligned(fromByteOffset: e + 16, as: UInt64.self).littleEndian
            guard let introduced = IndexFormat.versionIntroducing(tag) else { throw fail("unknown section \(tag)") }
            guard introduced <= formatVersion else {
                throw fail("section \(tag) belongs to format version \(introduced), but the file declares version \(formatVersion)")
            }
            guard table[tag] == nil else { throw fail("section \(tag) appears twice") }
            // Element size 0 (no writer produces it) would let any count through the bounds
            // check below, and a count above Int.max then trapped in Int(count) (found by fuzzing).
            guard size > 0 else { throw fail("section \(tag) has element size 0") }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: UInt64(size))
            guard !overflow, offset >= nextFree, offset <= UInt64(file.count), bytes <= UInt64(file.count) - offset,
                  offset % UInt64(IndexFormat.alignment) == 0
            else { throw fail("section \(tag) is out of bounds, overlapping or misaligned") }
            nextFree = offset + bytes
            table[tag] = (size, Int(offset), Int(count))
        }

        func section<T>(_ tag: SectionTag, _: T.Type, optional: Bool = false) throws(ChatbotError) -> UnsafeBufferPointer<T> {
            guard let s = table[tag] else {
                if optional { return UnsafeBufferPointer(start: nil, count: 0) }
                throw fail("required section \(tag) is missing")
            }
            guard s.elementSize == MemoryLayout<T>.stride else {
                throw fail("section \(tag) has element size \(s.elementSize), expected \(MemoryLayout<T>.stride)")
            }
            let p = file.baseAddress!.advanced(by: s.offset).assumingMemoryBound(to: T.self)
            return UnsafeBufferPointer(start: s.count == 0 ? nil : p, count: s.count)
        }
        func text(_ tag: SectionTag) throws(ChatbotError) -> String {
            let b = try section(tag, UInt8.self, optional: true)
            // NUL never occurs in text the writer stores; one here means a section that runs
            // into the zero padding after it.
            guard !b.contains(0), let s = String(validating: b, as: UTF8.self) else { throw fail("section \(tag) is not valid UTF-8 text") }
            return s
        }

        meta = try IndexMetadata(parsing: text(.meta))
        synonymText = try text(.synonyms)

        stringBytes = try section(.stringBytes, UInt8.self)
        stringOffsets = try section(.stringOffsets, UInt32.self)
        items = try section(.items, ItemRecord.self)
        questionItems = try section(.questionItems, UInt32.self)
        vocabularyKeys = try section(.vocabularyKeys, UInt64.self)
        vocabularyValues = try section(.vocabularyValues, UInt32.self)
        idf = try section(.idf, Float.self)
        postingOffsets = try section(.postingOffsets, UInt32.self)
        postingRows = try section(.postingRows, UInt32.self)
        postingWeights = try section(.postingWeights, Float.self)
        postingSkipOffsets = try section(.postingSkipOffsets, UInt32.self, optional: true)
        postingSkips = try section(.postingSkips, UInt32.self, optional: true)
        featureBlocks = try section(.featureBlocks, UInt8.self, optional: true)
        repeatedFeaturePositions = try section(.repeatedFeaturePositions, UInt32.self, optional: true)
        repeatedFeatureCounts = try section(.repeatedFeatureCounts, UInt32.self, optional: true)
        // The question vectors' contents are never read: no version of the matcher used
        // them, and files now store them empty (see `SectionTag.questionOffsets`). Their
        // table entries are checked like any other's, and their shape as older readers do.
        let questionOffsets = try section(.questionOffsets, UInt32.self)
        let questionFeatures = try section(.questionFeatures, UInt32.self)
        let questionWeights = try section(.questionWeights, Float.self)
        embeddings = try section(.embeddings, Float.self, optional: true)
        embeddingMask = try section(.embeddingMask, UInt8.self, optional: true)

        // Structural consistency: everything the hot path indexes without checks.
        let nItems = items.count, nQuestions = questionItems.count, nFeatures = idf.count
        guard stringOffsets.count == 4 * nItems + nQuestions + 1 else { throw fail("string table does not match item and question counts") }
        try Self.checkOffsets(stringOffsets, end: stringBytes.count, what: "string")
        for i in 0..<nItems {
            let r = items[i]
            guard r.questionCount >= 1, Int(r.firstQuestion) + Int(r.questionCount) <= nQuestions else {
                throw fail("item \(i) refers to questions outside the table")
            }
            for q in Int(r.firstQuestion)..<Int(r.firstQuestion + r.questionCount) where questionItems[q] != UInt32(i) {
                throw fail("question \(q) is not owned by item \(i)")
            }
        }
        guard questionItems.allSatisfy({ Int($0) < nItems }) else { throw fail("a question refers to a missing item") }
        guard vocabularyKeys.count == vocabularyValues.count, vocabularyKeys.count.nonzeroBitCount == 1 else {
            throw fail("vocabulary table has an invalid size")
        }
        guard postingOffsets.count == nFeatures + 1, postingRows.count == postingWeights.count else {
            throw fail("posting lists do not match the feature count")
        }
        guard postingSkipOffsets.isEmpty ? postingSkips.isEmpty : postingSkipOffsets.count == nFeatures + 1 else {
            throw fail("posting skip tables do not match the feature count")
        }
        guard featureBlocks.isEmpty ? repeatedFeaturePositions.isEmpty : featureBlocks.count == nFeatures,
              repeatedFeaturePositions.count == repeatedFeatureCounts.count else {
            throw fail("feature counts do not match the feature count")
        }
        guard questionOffsets.count == nQuestions + 1, questionFeatures.count == questionWeights.count else {
            throw fail("question vectors do not match the question count")
        }
        if embeddings.isEmpty {
            embeddingDim = 0
        } else {
            guard nQuestions > 0, embeddings.count % nQuestions == 0, embeddingMask.count == nQuestions else {
                throw fail("embedding matrix does not match the question count")
            }
            embeddingDim = embeddings.count / nQuestions
        }
        if formatVersion >= 4 {
            messageBytes = try section(.messageBytes, UInt8.self, optional: true)
            messageOffsets = try section(.messageOffsets, UInt32.self, optional: true)
            if !messageOffsets.isEmpty || !messageBytes.isEmpty {
                guard messageOffsets.count == nItems + 1 else { throw fail("message table does not match the item count") }
                try Self.checkOffsets(messageOffsets, end: messageBytes.count, what: "message")
            }
            messageOnlyItems = try MessageCoding.decodeExtraItems(section(.messageOnlyItems, UInt8.self, optional: true))
        } else {
            messageBytes = UnsafeBufferPointer(start: nil, count: 0)
            messageOffsets = UnsafeBufferPointer(start: nil, count: 0)
            messageOnlyItems = []
        }
        if formatVersion >= 5 {
            wordVectors = try Self.wordVectorView(keys: section(.wordVectorKeys, UInt64.self, optional: true),
                                                  weights: section(.wordVectorWeights, Float.self, optional: true),
                                                  vectors: section(.wordVectors, UInt16.self, optional: true),
                                                  embeddingDim: embeddingDim)
        } else {
            wordVectors = nil
        }
        // A version-1 file cannot carry a model: its sections, if any, are not read.
        if formatVersion >= 2 {
            model = try Self.modelView(rowOf: section(.learnedRows, UInt32.self, optional: true),
                                       weights: section(.learnedWeights, Float.self, optional: true),
                                       bias: section(.learnedBias, Float.self, optional: true),
                                       calibration: section(.calibration, Float.self, optional: true),
                                       embeddingRow: formatVersion >= 3 ? section(.learnedEmbeddingRow, UInt32.self, optional: true) : .init(start: nil, count: 0),
                                       embeddingDim: embeddingDim, itemCount: nItems, featureCount: nFeatures)
        } else {
            model = nil
        }
        if verifyingContents { try verifyContents(includingChecksum: false) }
    }

    /// Verifies the contents if they were not verified at open, once: the first call does
    /// the work (concurrent callers wait for it), every later call returns its outcome.
    /// Throws `.invalidIndex` for a damaged file.
    func requireVerified() throws(ChatbotError) {
        guard let verification else { return }
        try verification.run { () throws(ChatbotError) in try verifyContents(includingChecksum: true) }
    }

    private static func verifyChecksum(_ file: UnsafeRawBufferPointer) throws(ChatbotError) {
        let storedSum = file.loadUnaligned(fromByteOffset: 40, as: UInt64.self).littleEndian
        let actualSum = Checksum.compute(UnsafeRawBufferPointer(rebasing: file[IndexFormat.headerSize...]))
        guard storedSum == actualSum else { throw .invalidIndex("file is corrupted (checksum mismatch)") }
    }

    /// The checks whose work grows with the file's size (see the type's comment).
    private func verifyContents(includingChecksum: Bool) throws(ChatbotError) {
        func fail(_ m: String) -> ChatbotError { .invalidIndex(m) }
        if includingChecksum { try Self.verifyChecksum(storage.bytes) }
        let nQuestions = questionCount, nFeatures = featureCount
        guard vocabularyValues.allSatisfy({ $0 == Self.emptyVocabularySlot || Int($0) < nFeatures }) else {
            throw fail("vocabulary refers to a missing feature")
        }
        // Probing stops at an empty slot; a full table would make lookups loop forever.
        guard vocabularyValues.contains(Self.emptyVocabularySlot) else { throw fail("vocabulary table has no free slot") }
        guard idf.allSatisfy({ $0.isFinite }) else { throw fail("idf values are not finite") }
        try Self.checkOffsets(postingOffsets, end: postingRows.count, what: "posting")
        // Each list in strictly increasing question order: the matcher finds an item's part
        // of a list by binary search (`Matcher.nearestQuestion`).
        for f in 0..<nFeatures {
            var previous = -1
            for j in Int(postingOffsets[f])..<Int(postingOffsets[f + 1]) {
                let row = Int(postingRows[j])
                guard row < nQuestions else { throw fail("a posting refers to a missing question") }
                guard row > previous else { throw fail("posting list of feature \(f) is not in question order") }
                previous = row
            }
        }
        if !postingSkipOffsets.isEmpty {
            try PostingSkips.verify(offsets: postingSkipOffsets, skips: postingSkips, postingOffsets: postingOffsets,
                                    postingRows: postingRows, items: items)
        }
        try FeatureCounts.verify(blocks: featureBlocks, positions: repeatedFeaturePositions, counts: repeatedFeatureCounts,
                                 postingCount: postingRows.count)
        try wordVectors?.verify()
        try model?.verify()
    }

    /// Reads the learned sections and checks their sizes: all four or none (the matrix is
    /// checked by `ModelView.verify`).
    private static func modelView(rowOf: UnsafeBufferPointer<UInt32>, weights: UnsafeBufferPointer<Float>,
                                  bias: UnsafeBufferPointer<Float>, calibration: UnsafeBufferPointer<Float>,
                                  embeddingRow: UnsafeBufferPointer<UInt32>, embeddingDim: Int,
                                  itemCount: Int, featureCount: Int) throws(ChatbotError) -> ModelView? {
        if rowOf.isEmpty && weights.isEmpty && bias.isEmpty && calibration.isEmpty { return nil }
        func fail(_ m: String) -> ChatbotError { .invalidIndex("learned model: \(m)") }
        let stride = ItemScoring.stride(itemCount: itemCount)
        guard rowOf.count == featureCount else { throw fail("row table has \(rowOf.count) entries for \(featureCount) features") }
        guard bias.count == stride else { throw fail("bias has \(bias.count) values, expected \(stride)") }
        guard !weights.isEmpty, weights.count % stride == 0 else { throw fail("weight matrix does not match the item count") }
        let rows = weights.count / stride
        var firstEmbeddingRow: Int? = nil
        if !embeddingRow.isEmpty {
            guard embeddingRow.count == 1 else { throw fail("embedding row section has \(embeddingRow.count) values, expected 1") }
            guard embeddingDim > 0 else { throw fail("embedding rows without question embeddings") }
            let first = Int(embeddingRow[0])
            guard first + embeddingDim == rows else {
                throw fail("embedding rows \(first)..<\(first + embeddingDim) do not end the \(rows)-row matrix")
            }
            firstEmbeddingRow = first
        }
        guard calibration.count == Calibrator.featureCount else { throw fail("calibration has \(calibration.count) coefficients, expected \(Calibrator.featureCount)\(calibration.count == 5 ? " (written by an engine before the class-count-invariant calibrator: rebuild the index)" : "")") }
        guard Self.allFinite(calibration) else { throw fail("weights are not finite") }
        let coefficients = Array(calibration)
        guard coefficients[1...].allSatisfy({ $0 >= 0 }) else {
            throw fail("calibration is not monotone")
        }
        return ModelView(rowOf: rowOf, weights: weights, bias: bias, stride: stride,
                         calibrator: Calibrator(coefficients: coefficients), embeddingRow: firstEmbeddingRow)
    }

    /// Reads the word-vector sections and checks their sizes: all three or none (their values
    /// are checked by `WordVectorView.verify`).
    private static func wordVectorView(keys: UnsafeBufferPointer<UInt64>, weights: UnsafeBufferPointer<Float>,
                                       vectors: UnsafeBufferPointer<UInt16>, embeddingDim: Int) throws(ChatbotError) -> WordVectorView? {
        if keys.isEmpty && weights.isEmpty && vectors.isEmpty { return nil }
        func fail(_ m: String) -> ChatbotError { .invalidIndex("word vectors: \(m)") }
        guard embeddingDim > 0 else { throw fail("present without question embeddings") }
        guard !keys.isEmpty, weights.count == keys.count, vectors.count == keys.count * embeddingDim else {
            throw fail("\(keys.count) terms, \(weights.count) weights and \(vectors.count) values do not match dimension \(embeddingDim)")
        }
        return WordVectorView(keys: keys, weights: weights, vectors: vectors, dimension: embeddingDim)
    }

    /// Finite check over a large array at memory speed: a float is finite iff its exponent
    /// bits are not all ones, tested on the raw bits (an integer loop vectorises).
    fileprivate static func allFinite(_ values: UnsafeBufferPointer<Float>) -> Bool {
        // A float is not finite when its exponent bits are all ones, the largest value they
        // can take: the running maximum of the exponents, eight lanes at a time, says it.
        values.withMemoryRebound(to: UInt32.self) { bits in
            let exponent = SIMD8<UInt32>(repeating: 0x7F80_0000)
            var top = SIMD8<UInt32>.zero
            var i = 0
            while i + 8 <= bits.count {
                let lanes = SIMD8<UInt32>(bits[i], bits[i + 1], bits[i + 2], bits[i + 3],
                                          bits[i + 4], bits[i + 5], bits[i + 6], bits[i + 7])
                top = pointwiseMax(top, lanes & exponent)
                i += 8
            }
            var last = top.max()
            while i < bits.count { last = max(last, bits[i] & 0x7F80_0000); i += 1 }
            return last != 0x7F80_0000
        }
    }

    private static func checkOffsets(_ offsets: UnsafeBufferPointer<UInt32>, end: Int, what: String) throws(ChatbotError) {
        guard let first = offsets.first, first == 0, Int(offsets.last!) == end else {
            throw .invalidIndex("\(what) offsets do not cover their data")
        }
        var previous: UInt32 = 0
        for o in offsets {
            guard o >= previous else { throw .invalidIndex("\(what) offsets are not increasing") }
            previous = o
        }
    }

    func string(_ index: Int) -> String {
        let start = Int(stringOffsets[index]), end = Int(stringOffsets[index + 1])
        return String(decoding: UnsafeBufferPointer(rebasing: stringBytes[start..<end]), as: UTF8.self)
    }

    func itemID(_ item: Int) -> String { string(4 * item) }

    /// The matchable item with this id, by comparing bytes in place (no string per item).
    func itemIndex(ofID id: String) -> Int? {
        var id = id
        return id.withUTF8 { want in
            for item in 0..<itemCount {
                let start = Int(stringOffsets[4 * item]), end = Int(stringOffsets[4 * item + 1])
                guard end - start == want.count else { continue }
                if want.isEmpty || memcmp(stringBytes.baseAddress! + start, want.baseAddress!, want.count) == 0 { return item }
            }
            return nil
        }
    }
    func itemCategory(_ item: Int) -> String { string(4 * item + 1) }
    func itemAnswer(_ item: Int) -> String { string(4 * item + 2) }
    func itemAttributes(_ item: Int) -> String { string(4 * item + 3) }
    func questionText(_ question: Int) -> String { string(4 * itemCount + question) }

    /// Item `item`'s messages: decoded from version 4's table, or its plain answer as one text.
    func itemMessages(_ item: Int) throws(ChatbotError) -> [Message] {
        guard !messageOffsets.isEmpty else {
            let answer = itemAnswer(item)
            return answer.isEmpty ? [] : [.text(answer)]
        }
        let start = Int(messageOffsets[item]), end = Int(messageOffsets[item + 1])
        var reader = ByteReader(UnsafeBufferPointer(rebasing: messageBytes[start..<end]))
        let messages = try MessageCoding.decode(&reader)
        guard reader.isAtEnd else { throw .invalidIndex("messages of item \(item) have trailing bytes") }
        return messages
    }

    /// Feature `f`'s posting skip table (`PostingSkips`: its list's item runs), or nil when
    /// its list has none (a short list, or a file without tables).
    @inline(__always)
    func postingSkipTable(_ f: Int) -> UnsafePointer<UInt32>? {
        guard !postingSkipOffsets.isEmpty, postingSkipOffsets[f &+ 1] > postingSkipOffsets[f] else { return nil }
        return postingSkips.baseAddress! + Int(postingSkipOffsets[f])
    }

    /// Looks up a feature hash in the open-addressing table (linear probing).
    @inline(__always)
    func featureID(_ hash: UInt64) -> UInt32? {
        let v = vocabularyValues[IndexFormat.vocabularyProbe(hash, keys: vocabularyKeys, values: vocabularyValues)]
        return v == Self.emptyVocabularySlot ? nil : v
    }
}
