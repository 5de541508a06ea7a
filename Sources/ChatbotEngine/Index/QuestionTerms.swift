/// Every question's features while an index is built, before weighting: per question (CSR)
/// its feature ids and counts in extraction order (block by block, then by hash), and per
/// feature its hash, block and document frequency. Ids are given in order of first
/// appearance.
struct QuestionTerms {
    private var featureOf = FeatureIDTable()
    private(set) var hashes: [UInt64] = []
    private(set) var blocks: [UInt8] = []
    private(set) var documentFrequency: [Int] = []
    private(set) var offsets: [UInt32] = [0]
    private(set) var features: [UInt32] = []
    private(set) var counts: [UInt16] = []

    /// A previous feature not met yet, in `add(previousQuestion:of:previousToNew:)`'s map.
    static let unmapped = UInt32.max

    var questionCount: Int { offsets.count - 1 }
    var featureCount: Int { hashes.count }

    mutating func reserveCapacity(questions: Int, terms: Int) {
        offsets.reserveCapacity(questions + 1)
        features.reserveCapacity(terms)
        counts.reserveCapacity(terms)
    }

    /// Adds a feature of the current question by hash; returns its id.
    @discardableResult
    mutating func add(hash: UInt64, block: UInt8, count: UInt16) -> UInt32 {
        let (id, isNew) = featureOf.id(of: hash)
        if isNew {
            hashes.append(hash)
            blocks.append(block)
            documentFrequency.append(0)
        }
        add(id: id, count: count)
        return id
    }

    /// Adds a feature of the current question that already has an id.
    @inline(__always)
    mutating func add(id: UInt32, count: UInt16) {
        documentFrequency[Int(id)] += 1
        features.append(id)
        counts.append(count)
    }

    /// Adds the features of `raw`, block by block.
    mutating func add(_ raw: RawFeatures) {
        for (b, block) in raw.blocks.enumerated() {
            for (hash, count) in block { add(hash: hash, block: UInt8(b), count: UInt16(clamping: count)) }
        }
    }

    /// Adds previous question `p`'s features; `previousToNew` maps previous feature ids to
    /// this build's (`unmapped` until a previous feature is first met). Called for
    /// nearly every question of an update: the ids are copied in bulk, then mapped in place.
    mutating func add(previousQuestion p: Int, of previous: PreviousAnalysis, previousToNew: inout [UInt32]) {
        let range = Int(previous.offsets[p])..<Int(previous.offsets[p + 1])
        // Features met for the first time get their ids in extraction order, as `add(_:)` gives them.
        for k in range where previousToNew[Int(previous.features[k])] == Self.unmapped {
            let old = Int(previous.features[k])
            let (id, isNew) = featureOf.id(of: previous.hashes[old])
            if isNew {
                hashes.append(previous.hashes[old])
                blocks.append(previous.blocks[old])
                documentFrequency.append(0)
            }
            previousToNew[old] = id
        }
        let start = features.count
        features.append(contentsOf: previous.features[range])
        counts.append(contentsOf: previous.counts[range])
        previousToNew.withUnsafeBufferPointer { map in
            documentFrequency.withUnsafeMutableBufferPointer { df in
                features.withUnsafeMutableBufferPointer { ids in
                    for k in start..<ids.count {
                        let id = map[Int(ids[k])]
                        ids[k] = id
                        df[Int(id)] += 1
                    }
                }
            }
        }
    }

    /// Ends the current question.
    mutating func endQuestion() { offsets.append(UInt32(features.count)) }

    /// Question `q`'s features and counts.
    func range(of q: Int) -> Range<Int> { Int(offsets[q])..<Int(offsets[q + 1]) }
}
