import ChatbotErrors

/// What the posting lists forget about each question's analysis (format version 7: `FBLK`,
/// `FCNP`, `FCNC`): each feature's block, and how many times a question holds a feature when
/// that is more than once.
///
/// With them, a question's features (hash, block, count) come back from the posting lists
/// without analysing its text again (`PreviousAnalysis`), so that `build --update` of a large
/// base analyses only the questions that are new (issue 15). The posting lists give which
/// questions hold a feature; the weights cannot give back the counts, since each is scaled by
/// its question's norm.
///
/// Written with the posting skip tables, for bases of `PostingSkips.minimumQuestions` or
/// more: smaller bases rebuild in well under a second, and stay readable by older libraries.
struct FeatureCounts {
    /// Per feature, its `FeatureBlock` raw value.
    var blocks: [UInt8]
    /// Positions in the posting lists whose question holds the feature more than once,
    /// increasing; and those counts.
    var positions: [UInt32] = []
    var counts: [UInt32] = []

    /// Counts already placed (`PostingUpdate`).
    init(blocks: [UInt8], positions: [UInt32], counts: [UInt32]) {
        self.blocks = blocks
        self.positions = positions
        self.counts = counts
    }

    /// The counts of `termCounts` (per question, in `termFeatures` order) above one, placed
    /// at their positions in the posting lists `postingOffsets`/`postingRows`.
    init(blocks: [UInt8], termOffsets: [UInt32], termFeatures: [UInt32], termCounts: [UInt16],
         postingOffsets: [UInt32], postingRows: [UInt32]) {
        self.blocks = blocks
        var found: [(position: UInt32, count: UInt32)] = []
        for q in 0..<(termOffsets.count - 1) {
            for j in Int(termOffsets[q])..<Int(termOffsets[q + 1]) where termCounts[j] > 1 {
                let f = Int(termFeatures[j])
                // The list is in question order; features of a zero-weight block have no
                // list, and their counts matter to nothing.
                let lo = lowerBound(postingRows, UInt32(q), from: Int(postingOffsets[f]), to: Int(postingOffsets[f + 1]))
                if lo < Int(postingOffsets[f + 1]) && postingRows[lo] == UInt32(q) {
                    found.append((UInt32(lo), UInt32(termCounts[j])))
                }
            }
        }
        found.sort { $0.position < $1.position }
        positions = found.map(\.position)
        counts = found.map(\.count)
    }

    /// Checks sections read from a file: a valid block per feature, positions strictly
    /// increasing inside the posting lists, counts from 2 to the longest question's bytes.
    static func verify(blocks: UnsafeBufferPointer<UInt8>, positions: UnsafeBufferPointer<UInt32>,
                       counts: UnsafeBufferPointer<UInt32>, postingCount: Int) throws(ChatbotError) {
        func fail(_ m: String) -> ChatbotError { .invalidIndex("feature counts: \(m)") }
        guard blocks.allSatisfy({ FeatureBlock(rawValue: $0) != nil }) else { throw fail("a feature has no valid block") }
        var previous = -1
        for p in positions {
            guard Int(p) > previous, Int(p) < postingCount else { throw fail("positions are not increasing inside the posting lists") }
            previous = Int(p)
        }
        guard counts.allSatisfy({ $0 >= 2 && $0 <= UInt32(MatchOptions.maxQuestionBytes) }) else {
            throw fail("a count is out of range")
        }
    }
}
