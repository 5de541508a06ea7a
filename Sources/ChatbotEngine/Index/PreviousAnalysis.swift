/// The analysis of a previous index's questions, read back from its posting lists and its
/// `FeatureCounts`: what `build --update` reuses for every question whose text the previous
/// base held, instead of analysing it again (issue 15: analysis and feature extraction were a
/// quarter of a one-question update at 100,000 questions). An update that keeps the previous
/// questions in their order skips even this, and takes its lists from the previous ones
/// (`PostingUpdate`); this serves updates that move questions.
///
/// Only valid for a build with the previous index's feature options and synonyms (the
/// caller checks `Engine.warmStartProblem`): a question's features depend on nothing else.
struct PreviousAnalysis {
    /// Per previous feature id: its hash and its `FeatureBlock` raw value.
    let hashes: [UInt64]
    let blocks: [UInt8]
    /// Per previous question (CSR): its features (previous ids) and their counts, in the
    /// order `FeatureExtractor` gives them (block, then hash), so that feature ids come out
    /// in the same order of first appearance as from analysing the texts.
    let offsets: [UInt32]
    let features: [UInt32]
    let counts: [UInt16]
    /// Open addressing over the previous questions' texts, by `textHash`: question index + 1,
    /// 0 for an empty slot. Compared as bytes, since `String` equality and hashing normalise
    /// Unicode first, which cost more than the rest of reusing a question.
    private let textSlots: [UInt32]
    private let image: IndexImage

    /// Per feature id of `image`, its hash, from the vocabulary table.
    static func featureHashes(of image: IndexImage) -> [UInt64] {
        var hashes = [UInt64](repeating: 0, count: image.featureCount)
        for (slot, id) in image.vocabularyValues.enumerated() where id != IndexImage.emptyVocabularySlot {
            hashes[Int(id)] = image.vocabularyKeys[slot]
        }
        return hashes
    }

    /// Feature ids in extraction order (block, then hash): the order in which
    /// `FeatureExtractor` gives a question's features.
    static func extractionOrder(hashes: [UInt64], blocks: [UInt8]) -> [Int] {
        (0..<hashes.count).sorted { blocks[$0] != blocks[$1] ? blocks[$0] < blocks[$1] : hashes[$0] < hashes[$1] }
    }

    /// Nil when `image` has no feature counts (a base below `PostingSkips.minimumQuestions`,
    /// or a file before format 7), when a block of features has zero weight (their features
    /// have no posting list to come back from), or when another version of the library wrote
    /// it: its analyser may differ from this one, and its analysis would then disagree with
    /// the questions asked (see also `agrees(with:)`).
    init?(_ image: IndexImage, options: FeatureOptions) {
        guard !image.featureBlocks.isEmpty, image.engineVersion == EngineVersion.string,
              FeatureBlock.allCases.allSatisfy({ Weighting.blockWeight($0, options: options) > 0 })
        else { return nil }
        let nFeatures = image.featureCount, nQuestions = image.questionCount
        let hashes = Self.featureHashes(of: image)
        let blocks = Array(image.featureBlocks)
        let extractionOrder = Self.extractionOrder(hashes: hashes, blocks: blocks)
        let postingOffsets = image.postingOffsets, postingRows = image.postingRows
        var offsets = [UInt32](repeating: 0, count: nQuestions + 1)
        for q in postingRows { offsets[Int(q) + 1] += 1 }
        for q in 0..<nQuestions { offsets[q + 1] += offsets[q] }
        // Each feature's repeated positions: a run of the increasing `FCNP`, found by one merge,
        // since the lists are in feature order.
        let positions = image.repeatedFeaturePositions, repeated = image.repeatedFeatureCounts
        var firstRepeat = [Int](repeating: positions.count, count: nFeatures + 1)
        var r = 0
        for f in 0..<nFeatures {
            while r < positions.count && positions[r] < postingOffsets[f] { r += 1 }
            firstRepeat[f] = r
        }
        // Every posting lands in exactly one entry: the arrays need no zeroing first.
        var fill = Array(offsets.dropLast())
        let entryCount = postingRows.count
        var features = [UInt32](unsafeUninitializedCapacity: entryCount) { _, n in n = entryCount }
        var counts = [UInt16](unsafeUninitializedCapacity: entryCount) { _, n in n = entryCount }
        features.withUnsafeMutableBufferPointer { features in
            counts.withUnsafeMutableBufferPointer { counts in
                fill.withUnsafeMutableBufferPointer { fill in
                    for f in extractionOrder {
                        var r = firstRepeat[f]
                        for j in Int(postingOffsets[f])..<Int(postingOffsets[f + 1]) {
                            let q = Int(postingRows[j])
                            let at = Int(fill[q])
                            features[at] = UInt32(f)
                            if r < positions.count && Int(positions[r]) == j {
                                counts[at] = UInt16(clamping: repeated[r])
                                r += 1
                            } else {
                                counts[at] = 1
                            }
                            fill[q] += 1
                        }
                    }
                }
            }
        }
        var capacity = 16
        while capacity < 2 * nQuestions + 1 { capacity *= 2 }
        var textSlots = [UInt32](repeating: 0, count: capacity)
        for q in 0..<nQuestions {
            let text = Self.questionBytes(q, of: image)
            var slot = Int(truncatingIfNeeded: Self.textHash(text)) & (capacity - 1)
            while textSlots[slot] != 0 {
                // The same text twice: the first is as good as any.
                if Self.questionBytes(Int(textSlots[slot]) - 1, of: image).elementsEqual(text) { break }
                slot = (slot + 1) & (capacity - 1)
            }
            if textSlots[slot] == 0 { textSlots[slot] = UInt32(q + 1) }
        }
        self.hashes = hashes
        self.blocks = blocks
        self.offsets = offsets
        self.features = features
        self.counts = counts
        self.textSlots = textSlots
        self.image = image
    }

    /// Whether this extractor analyses a sample of the previous questions (`sampleSize`,
    /// evenly spread) exactly as stored: a safeguard for an analyser changed without a new
    /// library version, whose stale analysis would otherwise live on in every update.
    func agrees(with extractor: FeatureExtractor, sampleSize: Int = 32) -> Bool {
        let n = offsets.count - 1
        guard n > 0 else { return true }
        for q in Swift.stride(from: 0, to: n, by: max(1, n / sampleSize)) {
            let raw = extractor.extract(String(decoding: Self.questionBytes(q, of: image), as: UTF8.self))
            var k = Int(offsets[q])
            for (b, block) in raw.blocks.enumerated() {
                for (hash, count) in block {
                    guard k < Int(offsets[q + 1]) else { return false }
                    let f = Int(features[k])
                    guard hashes[f] == hash, blocks[f] == UInt8(b), Int(counts[k]) == count else { return false }
                    k += 1
                }
            }
            guard k == Int(offsets[q + 1]) else { return false }
        }
        return true
    }

    /// The previous question with exactly this text, if any.
    func question(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            let mask = textSlots.count - 1
            var slot = Int(truncatingIfNeeded: Self.textHash(bytes)) & mask
            while textSlots[slot] != 0 {
                let q = Int(textSlots[slot]) - 1
                if Self.questionBytes(q, of: image).elementsEqual(bytes) { return q }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    static func questionBytes(_ q: Int, of image: IndexImage) -> UnsafeBufferPointer<UInt8> {
        let i = 4 * image.itemCount + q
        return UnsafeBufferPointer(rebasing: image.stringBytes[Int(image.stringOffsets[i])..<Int(image.stringOffsets[i + 1])])
    }

    /// FNV-1a of a question's bytes, mixed so that the table's low bits depend on all of it.
    static func textHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = FeatureHash.offsetBasis
        for b in bytes { h = FeatureHash.add(h, b) }
        return h ^ (h >> 29)
    }
}
