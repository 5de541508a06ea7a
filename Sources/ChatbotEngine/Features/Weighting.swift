import Glibc

/// A sparse vector: feature ids with weights, sorted by id.
struct SparseVector: Equatable {
    var ids: [UInt32] = []
    var weights: [Float] = []
}

/// TF-IDF weighting shared by the builder and the matcher.
///
/// - tf is sublinear: `1 + ln(count)`.
/// - idf is smoothed: `ln((1 + N) / (1 + df)) + 1`, N = number of questions.
/// - Each block is L2-normalised on its own, scaled by its block weight, and the whole
///   vector is L2-normalised again, so the cosine of two vectors is a weighted mean of
///   per-block cosines.
/// - Features a question has that the knowledge base never saw still count towards its
///   norm (with the idf of an unseen feature). Gibberish is therefore far from everything
///   instead of being reduced to the one n-gram it happens to share with the base.
enum Weighting {
    static func idf(documentFrequency df: Int, documentCount n: Int) -> Float {
        Float(log(Double(1 + n) / Double(1 + df)) + 1)
    }

    static func blockWeight(_ block: FeatureBlock, options: FeatureOptions) -> Float {
        switch block {
        case .word: return 1
        case .wordBigram: return 0.5
        case .charNGram: return options.charBlockWeight
        }
    }

    /// Sublinear tf. log(1) is 0: a feature seen once (nearly all of them) skips the logarithm.
    @inline(__always)
    static func termFrequency(_ count: Int) -> Float { count == 1 ? 1 : 1 + Float(log(Double(count))) }

    /// Weights `raw` with `lookup(hash) -> (id, idf)?`; unseen features weigh `unseenIDF`.
    ///
    /// Runs for every question asked and every question built, so it avoids tuples and
    /// closures in its sort: the entries are ordered by one `UInt64` key, id then position,
    /// which is the stable order by id that a sort of (id, weight) pairs by id gave.
    static func vector(_ raw: RawFeatures, options: FeatureOptions, unseenIDF: Float,
                       lookup: (UInt64) -> (id: UInt32, idf: Float)?) -> SparseVector {
        var total = 0
        for block in raw.blocks { total += block.count }
        var keys: [UInt64] = [], weights: [Float] = []
        keys.reserveCapacity(total)
        weights.reserveCapacity(total)
        var totalSquared: Float = 0
        for block in FeatureBlock.allCases {
            let features = raw.block(block)
            if features.isEmpty { continue }
            let bw = blockWeight(block, options: options)
            if bw == 0 { continue }
            let start = weights.count
            var squared: Float = 0
            for (hash, count) in features {
                let tf = termFrequency(count)
                if let (id, idf) = lookup(hash) {
                    let w = tf * idf
                    squared += w * w
                    keys.append(UInt64(id) << 32 | UInt64(weights.count))
                    weights.append(w)
                } else {
                    let w = tf * unseenIDF
                    squared += w * w
                }
            }
            guard squared > 0 else { continue }
            let scale = bw / squared.squareRoot()
            for i in start..<weights.count { weights[i] *= scale }
            totalSquared += bw * bw
        }
        guard totalSquared > 0 else { return SparseVector() }
        let norm = 1 / totalSquared.squareRoot()
        KeySort.sort(&keys)
        var ids: [UInt32] = [], unit: [Float] = []
        ids.reserveCapacity(keys.count)
        unit.reserveCapacity(keys.count)
        for key in keys {
            ids.append(UInt32(truncatingIfNeeded: key >> 32))
            unit.append(weights[Int(truncatingIfNeeded: key & 0xFFFF_FFFF)] * norm)
        }
        return SparseVector(ids: ids, weights: unit)
    }

    /// `vector(_:options:unseenIDF:lookup:)` for a question of the base, whose features all
    /// have ids, appended to `vectorIDs`/`vectorWeights` in extraction order, not sorted by id
    /// (`ModelLearner` sorts the questions it reads; posting lists need no order): `ids` and
    /// `counts` in extraction order (block by block in `FeatureBlock` order, as `RawFeatures`
    /// holds them), `blocks` and `idf` by id. The builder's path: the same operations in the
    /// same order, hence the same floats, without a hash lookup, an allocation or a sort per
    /// question. The per-block arithmetic is written out in both on purpose (a version sharing
    /// helpers cost `vector` 7% more instructions, callgrind); `WeightingTests` pins the two
    /// together.
    static func appendVector(ids: UnsafeBufferPointer<UInt32>, counts: UnsafeBufferPointer<UInt16>,
                             blocks: UnsafeBufferPointer<UInt8>, idf: UnsafeBufferPointer<Float>, options: FeatureOptions,
                             to vectorIDs: inout [UInt32], _ vectorWeights: inout [Float]) {
        let first = vectorWeights.count
        var totalSquared: Float = 0
        var j = 0
        while j < ids.count {
            let block = blocks[Int(ids[j])]
            var end = j + 1
            while end < ids.count && blocks[Int(ids[end])] == block { end += 1 }
            defer { j = end }
            let bw = blockWeight(FeatureBlock(rawValue: block)!, options: options)
            if bw == 0 { continue }
            let start = vectorWeights.count
            var squared: Float = 0
            for k in j..<end {
                let id = ids[k]
                let w = termFrequency(Int(counts[k])) * idf[Int(id)]
                squared += w * w
                vectorIDs.append(id)
                vectorWeights.append(w)
            }
            let scale = bw / squared.squareRoot()
            for i in start..<vectorWeights.count { vectorWeights[i] *= scale }
            totalSquared += bw * bw
        }
        guard totalSquared > 0 else { return }
        let norm = 1 / totalSquared.squareRoot()
        for i in first..<vectorWeights.count { vectorWeights[i] *= norm }
    }
}
