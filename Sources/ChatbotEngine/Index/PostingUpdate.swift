#if canImport(Glibc)
import Glibc
#endif

/// The posting lists of an update, made from the previous index's posting lists instead of
/// from every question's analysis (issue 15).
///
/// When the new base keeps the previous questions in their order (questions added, removed
/// or edited anywhere; items added, removed or edited, but none moved), the new lists are
/// the previous ones with their questions renumbered, the new questions' postings merged in,
/// and every weight recomputed, since each idf and each question's norm moves with the
/// question count. `PreviousAnalysis` gave the same result by turning the lists back into
/// questions and building again: two transpositions of every posting, and the weighting of
/// each question apart, two thirds of a one-question update at 100,000 questions.
///
/// The result is the cold build's, byte for byte (`FeatureCountTests`): a question's
/// features come in extraction order (block, then hash), so walking the features in that
/// order adds each question's squares in the order `Weighting.appendVector` adds them, and
/// each weight is the same product; feature ids are given in order of first appearance, as
/// `QuestionTerms` gives them.
///
/// Only valid for a build with the previous index's feature options and synonyms, like
/// `PreviousAnalysis`, whose conditions it shares (`init?` checks them again).
struct PostingUpdate {
    /// Per new feature id.
    private(set) var hashes: [UInt64] = []
    private(set) var blocks: [UInt8] = []
    private(set) var documentFrequency: [Int] = []
    private(set) var idf: [Float] = []
    /// The inverted index, as `IndexBuilder` writes it.
    private(set) var postingOffsets: [UInt32] = [0]
    private(set) var postingRows: [UInt32] = []
    private(set) var postingWeights: [Float] = []
    /// `FeatureCounts` of the new lists.
    private(set) var repeatedPositions: [UInt32] = []
    private(set) var repeatedCounts: [UInt32] = []

    /// The previous question each new question is (same text), or -1 for a question to
    /// analyse: nil when the kept questions are not in their previous order, since the
    /// previous lists would then need sorting (the caller takes `PreviousAnalysis`). Several
    /// questions with one text are paired in order.
    static func previousQuestions(of texts: [String], in image: IndexImage) -> [Int32]? {
        let nPrevious = image.questionCount
        var capacity = 16
        while capacity < 2 * nPrevious + 1 { capacity *= 2 }
        let mask = capacity - 1
        // Per slot, the first previous question with its text (+ 1; 0: empty); per previous
        // question, the next one with the same text (+ 1; 0: none).
        var heads = [UInt32](repeating: 0, count: capacity)
        var tails = [UInt32](repeating: 0, count: capacity)
        var next = [UInt32](repeating: 0, count: nPrevious)
        for q in 0..<nPrevious {
            let text = PreviousAnalysis.questionBytes(q, of: image)
            var slot = Int(truncatingIfNeeded: PreviousAnalysis.textHash(text)) & mask
            while heads[slot] != 0 && !Self.same(PreviousAnalysis.questionBytes(Int(heads[slot]) - 1, of: image), text) {
                slot = (slot + 1) & mask
            }
            if heads[slot] == 0 { heads[slot] = UInt32(q + 1) } else { next[Int(tails[slot]) - 1] = UInt32(q + 1) }
            tails[slot] = UInt32(q + 1)
        }
        // `heads` becomes each text's next unpaired question; a paired-out text keeps its
        // slot (probing must go on past it) with `exhausted`.
        let exhausted = UInt32.max
        let firstOfSlot = heads
        var previousOf = [Int32](repeating: -1, count: texts.count)
        var last = -1
        for (i, question) in texts.enumerated() {
            var question = question
            let found: Int? = question.withUTF8 { bytes in
                var slot = Int(truncatingIfNeeded: PreviousAnalysis.textHash(bytes)) & mask
                while firstOfSlot[slot] != 0 {
                    if Self.same(PreviousAnalysis.questionBytes(Int(firstOfSlot[slot]) - 1, of: image), bytes) {
                        guard heads[slot] != exhausted else { return nil }
                        let q = Int(heads[slot]) - 1
                        heads[slot] = next[q] == 0 ? exhausted : next[q]
                        return q
                    }
                    slot = (slot + 1) & mask
                }
                return nil
            }
            guard let q = found else { continue }
            guard q > last else { return nil }
            last = q
            previousOf[i] = Int32(q)
        }
        return previousOf
    }

    private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Whether `extractor` analyses a sample of the previous questions (`sampleSize`, evenly
    /// spread) exactly as their postings and counts hold them: `PreviousAnalysis.agrees`,
    /// read from the lists themselves.
    static func agrees(_ image: IndexImage, with extractor: FeatureExtractor, sampleSize: Int = 32) -> Bool {
        let n = image.questionCount
        guard n > 0 else { return true }
        let sample = Array(Swift.stride(from: 0, to: n, by: max(1, n / sampleSize)))
        var sampleIndex = [Int32](repeating: -1, count: n)
        for (k, q) in sample.enumerated() { sampleIndex[q] = Int32(k) }
        var postingCount = [Int](repeating: 0, count: sample.count)
        for q in image.postingRows where sampleIndex[Int(q)] >= 0 { postingCount[Int(sampleIndex[Int(q)])] += 1 }
        let offsets = image.postingOffsets, rows = image.postingRows
        for (k, q) in sample.enumerated() {
            let raw = extractor.extract(String(decoding: PreviousAnalysis.questionBytes(q, of: image), as: UTF8.self))
            var found = 0
            for (b, block) in raw.blocks.enumerated() {
                for (hash, count) in block {
                    let slot = IndexFormat.vocabularyProbe(hash, keys: image.vocabularyKeys, values: image.vocabularyValues)
                    let id = image.vocabularyValues[slot]
                    guard id != IndexImage.emptyVocabularySlot, image.featureBlocks[Int(id)] == UInt8(b) else { return false }
                    let end = Int(offsets[Int(id) + 1])
                    let j = lowerBound(rows, UInt32(q), from: Int(offsets[Int(id)]), to: end)
                    guard j < end, rows[j] == UInt32(q) else { return false }
                    guard repeatCount(at: j, image) == UInt32(UInt16(clamping: count)) else { return false }
                    found += 1
                }
            }
            guard found == postingCount[k] else { return false }
        }
        return true
    }

    /// How many times the question of posting `j` holds its feature.
    private static func repeatCount(at j: Int, _ image: IndexImage) -> UInt32 {
        let positions = image.repeatedFeaturePositions
        let r = lowerBound(positions, UInt32(j), from: 0, to: positions.count)
        return r < positions.count && positions[r] == UInt32(j) ? image.repeatedFeatureCounts[r] : 1
    }

    /// The new lists for `previousOf` (from `previousQuestions`), with `fresh`: the questions
    /// it marks -1, in increasing order, and their features. Nil when a new question's
    /// feature has the hash of a previous feature of another block, which the previous
    /// lists cannot order (the caller builds the other way).
    init?(_ image: IndexImage, previousOf: [Int32], fresh: [(question: Int, features: RawFeatures)], options: FeatureOptions) {
        let nQuestions = previousOf.count, nPrevious = image.questionCount, nPreviousFeatures = image.featureCount
        let oldOffsets = image.postingOffsets, oldRows = image.postingRows
        let positions = image.repeatedFeaturePositions, repeated = image.repeatedFeatureCounts
        guard FeatureBlock.allCases.allSatisfy({ Weighting.blockWeight($0, options: options) > 0 }) else { return nil }
        // Previous question → new one (`removed`: not kept).
        let removed = UInt32.max
        var newOf = [UInt32](repeating: removed, count: nPrevious)
        for (q, p) in previousOf.enumerated() where p >= 0 { newOf[Int(p)] = UInt32(q) }

        // Features: the previous ones, then those only new questions hold. Per feature, the
        // first new question holding it and its document frequency.
        var hashes = PreviousAnalysis.featureHashes(of: image)
        var blocks = Array(image.featureBlocks)
        let none = UInt32.max
        var first = [UInt32](repeating: none, count: nPreviousFeatures)
        var df = [Int](repeating: 0, count: nPreviousFeatures)
        if nQuestions - fresh.count == nPrevious {
            // Every previous question kept (the usual update: questions added): each list keeps
            // all its postings, and its first question is still its first.
            for f in 0..<nPreviousFeatures {
                let start = Int(oldOffsets[f]), end = Int(oldOffsets[f + 1])
                df[f] = end - start
                if end > start { first[f] = newOf[Int(oldRows[start])] }
            }
        } else {
            newOf.withUnsafeBufferPointer { newOf in
                first.withUnsafeMutableBufferPointer { first in
                    df.withUnsafeMutableBufferPointer { df in
                        for f in 0..<nPreviousFeatures {
                            var kept = 0
                            for j in Int(oldOffsets[f])..<Int(oldOffsets[f + 1]) {
                                let q = newOf[Int(oldRows[j])]
                                if q == removed { continue }
                                if kept == 0 { first[f] = q }
                                kept += 1
                            }
                            df[f] = kept
                        }
                    }
                }
            }
        }
        // The new questions' postings, in question then extraction order.
        var freshFeatures: [UInt32] = [], freshQuestions: [UInt32] = [], freshCounts: [UInt16] = []
        var added: [UInt64: UInt32] = [:]
        for (q, raw) in fresh {
            for (b, block) in raw.blocks.enumerated() {
                for (hash, count) in block {
                    let slot = IndexFormat.vocabularyProbe(hash, keys: image.vocabularyKeys, values: image.vocabularyValues)
                    var f = image.vocabularyValues[slot]
                    if f == IndexImage.emptyVocabularySlot {
                        if let known = added[hash] {
                            f = known
                        } else {
                            f = UInt32(hashes.count)
                            added[hash] = f
                            hashes.append(hash)
                            blocks.append(UInt8(b))
                            first.append(none)
                            df.append(0)
                        }
                    }
                    guard blocks[Int(f)] == UInt8(b) else { return nil }
                    if first[Int(f)] == none || first[Int(f)] > UInt32(q) { first[Int(f)] = UInt32(q) }
                    df[Int(f)] += 1
                    freshFeatures.append(f)
                    freshQuestions.append(UInt32(q))
                    freshCounts.append(UInt16(clamping: count))
                }
            }
        }
        let nFeatures = hashes.count

        // Extraction order over all features, then ids in order of first appearance: by
        // first question, then by that order, which is the order within the question.
        let extractionOrder = PreviousAnalysis.extractionOrder(hashes: hashes, blocks: blocks)
        var keys: [UInt64] = []
        keys.reserveCapacity(nFeatures)
        for (rank, f) in extractionOrder.enumerated() where df[f] > 0 { keys.append(UInt64(first[f]) << 32 | UInt64(rank)) }
        KeySort.sort(&keys)
        let featureOfID = keys.map { extractionOrder[Int(truncatingIfNeeded: $0 & 0xFFFF_FFFF)] }
        let idf = df.map { Weighting.idf(documentFrequency: $0, documentCount: nQuestions) }

        // Each question's squares per block, in extraction order: the previous questions'
        // by walking the features in that order, the new ones question by question.
        let blockSlots = FeatureBlock.allCases.count + 1
        var scales = [Float](repeating: 0, count: nQuestions * blockSlots)
        scales.withUnsafeMutableBufferPointer { squared in
            newOf.withUnsafeBufferPointer { newOf in
                for f in extractionOrder where f < nPreviousFeatures && df[f] > 0 {
                    let b = Int(blocks[f]), featureIDF = idf[f]
                    let start = Int(oldOffsets[f]), end = Int(oldOffsets[f + 1])
                    var r = lowerBound(positions, UInt32(start), from: 0, to: positions.count)
                    for j in start..<end {
                        var count: UInt32 = 1
                        if r < positions.count && Int(positions[r]) == j {
                            count = repeated[r]
                            r += 1
                        }
                        let q = newOf[Int(oldRows[j])]
                        if q == removed { continue }
                        let w = Weighting.termFrequency(Int(count)) * featureIDF
                        squared[Int(q) * blockSlots + b] += w * w
                    }
                }
            }
            for k in freshFeatures.indices {
                let f = Int(freshFeatures[k])
                let w = Weighting.termFrequency(Int(freshCounts[k])) * idf[f]
                squared[Int(freshQuestions[k]) * blockSlots + Int(blocks[f])] += w * w
            }
        }
        // Squares → block scales, and each question's norm, as `appendVector` makes them. The
        // norm takes slot 0, which no block uses: one cache line per posting below, not two.
        let blockWeights = (0..<blockSlots).map { FeatureBlock(rawValue: UInt8($0)).map { Weighting.blockWeight($0, options: options) } ?? 0 }
        for q in 0..<nQuestions {
            var totalSquared: Float = 0
            for b in 1..<blockSlots {
                let squared = scales[q * blockSlots + b]
                // Every weight is at least 1 (tf ≥ 1, idf ≥ 1): no square means no feature.
                guard squared > 0 else { continue }
                let bw = blockWeights[b]
                scales[q * blockSlots + b] = bw / squared.squareRoot()
                totalSquared += bw * bw
            }
            scales[q * blockSlots] = totalSquared > 0 ? 1 / totalSquared.squareRoot() : 0
        }

        // The new questions' postings by feature, in question order (a stable counting sort).
        var freshStart = [Int](repeating: 0, count: nFeatures + 1)
        for f in freshFeatures { freshStart[Int(f) + 1] += 1 }
        for f in 0..<nFeatures { freshStart[f + 1] += freshStart[f] }
        var freshOrder = [Int](repeating: 0, count: freshFeatures.count)
        var freshFill = freshStart
        for (k, f) in freshFeatures.enumerated() {
            freshOrder[freshFill[Int(f)]] = k
            freshFill[Int(f)] += 1
        }

        // The lists, by new id: previous postings renumbered, new ones merged in by question.
        var postingOffsets = [UInt32](repeating: 0, count: featureOfID.count + 1)
        for (id, f) in featureOfID.enumerated() { postingOffsets[id + 1] = postingOffsets[id] + UInt32(df[f]) }
        let postingCount = Int(postingOffsets[featureOfID.count])
        var rows = [UInt32](unsafeUninitializedCapacity: postingCount) { _, n in n = postingCount }
        var weights = [Float](unsafeUninitializedCapacity: postingCount) { _, n in n = postingCount }
        var repeatedPositions: [UInt32] = [], repeatedCounts: [UInt32] = []
        rows.withUnsafeMutableBufferPointer { rows in
            weights.withUnsafeMutableBufferPointer { weights in
                scales.withUnsafeBufferPointer { scales in
                        newOf.withUnsafeBufferPointer { newOf in
                            var at = 0
                            for f in featureOfID {
                                let b = Int(blocks[f]), featureIDF = idf[f]
                                var j = 0, end = 0, r = 0
                                if f < nPreviousFeatures {
                                    j = Int(oldOffsets[f])
                                    end = Int(oldOffsets[f + 1])
                                    r = lowerBound(positions, UInt32(j), from: 0, to: positions.count)
                                }
                                var k = freshStart[f]
                                let freshEnd = freshStart[f + 1]
                                while true {
                                    // The next kept previous posting, if any.
                                    var oldQ = removed, oldCount: UInt32 = 1
                                    while j < end {
                                        var count: UInt32 = 1
                                        if r < positions.count && Int(positions[r]) == j {
                                            count = repeated[r]
                                            r += 1
                                        }
                                        let q = newOf[Int(oldRows[j])]
                                        if q != removed {
                                            oldQ = q
                                            oldCount = count
                                            break
                                        }
                                        j += 1
                                    }
                                    let freshQ = k < freshEnd ? freshQuestions[freshOrder[k]] : removed
                                    if oldQ == removed && freshQ == removed { break }
                                    let q: UInt32, count: UInt32
                                    if oldQ < freshQ {
                                        q = oldQ
                                        count = oldCount
                                        j += 1
                                    } else {
                                        q = freshQ
                                        count = UInt32(freshCounts[freshOrder[k]])
                                        k += 1
                                        // The previous posting read above is read again.
                                        if oldQ != removed && oldCount > 1 { r -= 1 }
                                    }
                                    let w = Weighting.termFrequency(Int(count)) * featureIDF
                                    rows[at] = q
                                    let row = Int(q) * blockSlots
                                    weights[at] = w * scales[row + b] * scales[row]
                                    if count > 1 {
                                        repeatedPositions.append(UInt32(at))
                                        repeatedCounts.append(count)
                                    }
                                    at += 1
                                }
                            }
                        }
                }
            }
        }
        self.hashes = featureOfID.map { hashes[$0] }
        self.blocks = featureOfID.map { blocks[$0] }
        self.documentFrequency = featureOfID.map { df[$0] }
        self.idf = featureOfID.map { idf[$0] }
        self.postingOffsets = postingOffsets
        self.postingRows = rows
        self.postingWeights = weights
        self.repeatedPositions = repeatedPositions
        self.repeatedCounts = repeatedCounts
    }

    /// The unit question vectors (CSR, ids increasing within a question) of `questions`
    /// (increasing; nil: all), the others left empty: what `ModelLearner` reads.
    func questionVectors(of questions: [Int]?, questionCount: Int) -> (offsets: [UInt32], features: [UInt32], weights: [Float]) {
        var wanted = [Bool](repeating: questions == nil, count: questionCount)
        if let questions { for q in questions { wanted[q] = true } }
        var offsets = [UInt32](repeating: 0, count: questionCount + 1)
        for q in postingRows where wanted[Int(q)] { offsets[Int(q) + 1] += 1 }
        for q in 0..<questionCount { offsets[q + 1] += offsets[q] }
        let total = Int(offsets[questionCount])
        var features = [UInt32](unsafeUninitializedCapacity: total) { _, n in n = total }
        var weights = [Float](unsafeUninitializedCapacity: total) { _, n in n = total }
        var fill = Array(offsets.dropLast())
        features.withUnsafeMutableBufferPointer { features in
            weights.withUnsafeMutableBufferPointer { weights in
                fill.withUnsafeMutableBufferPointer { fill in
                    wanted.withUnsafeBufferPointer { wanted in
                        for id in 0..<(postingOffsets.count - 1) {
                            for p in Int(postingOffsets[id])..<Int(postingOffsets[id + 1]) {
                                let q = Int(postingRows[p])
                                guard wanted[q] else { continue }
                                features[Int(fill[q])] = UInt32(id)
                                weights[Int(fill[q])] = postingWeights[p]
                                fill[q] += 1
                            }
                        }
                    }
                }
            }
        }
        return (offsets, features, weights)
    }
}
