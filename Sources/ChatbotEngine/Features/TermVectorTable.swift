/// Static word vectors keyed by the engine's own word terms, as an index stores them: the
/// words of a `WordVectors` asset are analysed like questions (stemmed, accent-folded,
/// synonyms applied), and the words that share a term pool their vectors. A question's
/// vector is then `Σ weight(t) · vector(t)` over its terms, made unit length; terms the
/// table lacks add nothing, and a question with none of them has no vector.
///
/// Weights are smooth inverse frequencies (Arora et al. 2017, "SIF"): `a / (a + p(t))`, so
/// that "de" and "le" barely count while rare content words dominate.
struct TermVectorTable: Sendable {
    /// Term hashes (`FeatureHash` of the word block), strictly increasing.
    var keys: [UInt64]
    /// Per term: its SIF weight.
    var weights: [Float]
    /// Per term: its unit vector as Float16 bits, `keys.count × dimension`.
    var vectors: [UInt16]
    let dimension: Int

    /// The SIF smoothing constant `a`.
    static let smoothing: Float = 1e-3

    /// Pools the asset's words by term. `terms(word)` is the engine's analysis of one word.
    init(_ words: WordVectors, terms: (String) -> [String]) {
        dimension = words.dimension
        var index: [UInt64: Int] = [:]
        var sums: [[Float]] = [], frequency: [Float] = [], order: [UInt64] = []
        for i in 0..<words.count {
            // A word that analyses to several terms (or none: a stop word left out) has no
            // single key.
            let t = terms(words.words[i])
            guard t.count == 1 else { continue }
            let key = FeatureHash.hash(.word, t[0].utf8)
            let f = words.frequencies[i]
            let slot: Int
            if let s = index[key] { slot = s } else {
                slot = sums.count
                index[key] = slot
                sums.append([Float](repeating: 0, count: dimension))
                frequency.append(0)
                order.append(key)
            }
            // The surface forms of a term pool by frequency: "congés" weighs more than "congé".
            let base = i * dimension
            for d in 0..<dimension { sums[slot][d] += f * words.vectors[base + d] }
            frequency[slot] += f
        }
        let sorted = order.indices.sorted { order[$0] < order[$1] }
        keys = sorted.map { order[$0] }
        weights = sorted.map { Self.smoothing / (Self.smoothing + frequency[$0]) }
        vectors = []
        vectors.reserveCapacity(sorted.count * dimension)
        for s in sorted {
            var norm: Float = 0
            for x in sums[s] { norm += x * x }
            let scale: Float = norm > 0 ? 1 / norm.squareRoot() : 0
            for x in sums[s] { vectors.append(Float16(x * scale).bitPattern) }
        }
    }

    var count: Int { keys.count }

    /// Position of `key`, by binary search.
    func position(of key: UInt64) -> Int? {
        keys.withUnsafeBufferPointer { Self.position(of: key, in: $0) }
    }

    static func position(of key: UInt64, in keys: UnsafeBufferPointer<UInt64>) -> Int? {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < keys.count && keys[lo] == key ? lo : nil
    }

    /// The unit vector of a question given its terms, or nil when no term has a vector.
    func embed(terms: [String]) -> [Float]? {
        keys.withUnsafeBufferPointer { k in
            weights.withUnsafeBufferPointer { w in
                vectors.withUnsafeBufferPointer { v in
                    Self.embed(terms: terms, keys: k, weights: w, vectors: v, dimension: dimension)
                }
            }
        }
    }

    /// `embed` over the table's arrays wherever they live (built here, or read in place from an index).
    static func embed(terms: [String], keys: UnsafeBufferPointer<UInt64>, weights: UnsafeBufferPointer<Float>,
                      vectors: UnsafeBufferPointer<UInt16>, dimension: Int) -> [Float]? {
        var sum = [Float](repeating: 0, count: dimension)
        var found = false
        for t in terms {
            guard let p = position(of: FeatureHash.hash(.word, t.utf8), in: keys) else { continue }
            found = true
            let w = weights[p], base = p * dimension
            for d in 0..<dimension { sum[d] += w * Float(Float16(bitPattern: vectors[base + d])) }
        }
        guard found else { return nil }
        var norm: Float = 0
        for x in sum { norm += x * x }
        guard norm > 0, norm.isFinite else { return nil }
        let scale = 1 / norm.squareRoot()
        return sum.map { $0 * scale }
    }
}
