import ChatbotErrors

/// Where each item's questions start in the long posting lists (format version 6: `PSKO`,
/// `PSKP`).
///
/// A posting list is in question order, and an item's questions are contiguous, so each item
/// owns one run of each list. The matcher scores only the candidate items' questions
/// (`Matcher.nearestQuestions`); without these tables it finds each run by binary search,
/// whose unpredictable jumps cost more than walking the whole list on a 10,000-question base.
/// With them, a run is two loads away.
///
/// A list of `length` ≥ the item count gets `itemCount + 1` positions, relative to the list's
/// start: item i's run is `[skips[i], skips[i + 1])`. `offsets` holds, per feature, where
/// its positions start in `skips` (features + 1 entries; an empty range: no table). Shorter
/// lists keep the binary search, which is then a few steps in one or two cache lines; the
/// tables stay below one position per posting (15–19% on MASSIVE-derived bases).
struct PostingSkips {
    var offsets: [UInt32]
    var skips: [UInt32]

    /// Bases below this many questions get no tables: the matcher walks every list there
    /// (`Matcher.walkIsCheaper`), and their files stay readable by format-5 libraries.
    static let minimumQuestions = 2_000

    /// Whether a list of `length` postings gets a table.
    @inline(__always)
    static func hasTable(length: Int, itemCount: Int) -> Bool { length >= max(1, itemCount) }

    /// The tables for posting lists `postingOffsets`/`postingRows` over `items`.
    init(postingOffsets: [UInt32], postingRows: [UInt32], items: [ItemRecord]) {
        let features = postingOffsets.count - 1
        offsets = [UInt32](repeating: 0, count: features + 1)
        skips = []
        for f in 0..<features {
            let start = Int(postingOffsets[f]), end = Int(postingOffsets[f + 1])
            if Self.hasTable(length: end - start, itemCount: items.count) {
                var j = start
                for item in items {
                    while j < end && postingRows[j] < item.firstQuestion { j += 1 }
                    skips.append(UInt32(j - start))
                }
                skips.append(UInt32(end - start))
            }
            offsets[f + 1] = UInt32(skips.count)
        }
    }

    /// Checks tables read from a file against the posting lists they index: each list that
    /// must have one has exactly one, and every position is where its item's run starts.
    /// The matcher then reads runs without bounds checks. O(positions + postings).
    static func verify(offsets: UnsafeBufferPointer<UInt32>, skips: UnsafeBufferPointer<UInt32>,
                       postingOffsets: UnsafeBufferPointer<UInt32>, postingRows: UnsafeBufferPointer<UInt32>,
                       items: UnsafeBufferPointer<ItemRecord>) throws(ChatbotError) {
        func fail(_ m: String) -> ChatbotError { .invalidIndex("posting skip tables: \(m)") }
        let features = postingOffsets.count - 1, nItems = items.count
        // A run between two positions is one item's questions only if items follow each
        // other in question order, as the builder writes them.
        var next: UInt32 = 0
        for item in items {
            guard item.firstQuestion == next else { throw fail("items are not in question order") }
            next = item.firstQuestion + item.questionCount
        }
        guard offsets.count == features + 1, offsets.first == 0, Int(offsets.last!) == skips.count else {
            throw fail("offsets do not cover the tables")
        }
        for f in 0..<features {
            let s0 = Int(offsets[f]), s1 = Int(offsets[f + 1])
            guard s1 >= s0 else { throw fail("offsets are not increasing") }
            let start = Int(postingOffsets[f]), length = Int(postingOffsets[f + 1]) - start
            guard s1 - s0 == (hasTable(length: length, itemCount: nItems) ? nItems + 1 : 0) else {
                throw fail("feature \(f) has a table of \(s1 - s0) positions for a list of \(length)")
            }
            guard s1 > s0 else { continue }
            guard Int(skips[s1 - 1]) == length else { throw fail("feature \(f)'s table does not end at its list's end") }
            for i in 0..<nItems {
                let p = Int(skips[s0 + i])
                let first = items[i].firstQuestion
                // Every posting before p belongs to an earlier question, every one from p on
                // to this item or a later one: p is where the item's run starts.
                guard p <= length, p == 0 || postingRows[start + p - 1] < first,
                      p == length || postingRows[start + p] >= first,
                      Int(skips[s0 + i + 1]) >= p
                else { throw fail("feature \(f)'s position for item \(i) is wrong") }
            }
        }
    }
}
