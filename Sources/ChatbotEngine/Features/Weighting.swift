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
                // log(1) is 0: a feature seen once (nearly all of them) skips the logarithm.
                let tf = count == 1 ? 1 : 1 + Float(log(Double(count)))
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
        keys.sort()
        var v = SparseVector()
        v.ids.reserveCapacity(keys.count)
        v.weights.reserveCapacity(keys.count)
        for key in keys {
            v.ids.append(UInt32(truncatingIfNeeded: key >> 32))
            v.weights.append(weights[Int(truncatingIfNeeded: key & 0xFFFF_FFFF)] * norm)
        }
        return v
    }
}
