/// Bounded best-k selection; order is score descending, then row ascending (deterministic).
/// Shared by the scans here and by the engine's item ranking and learner (`package`).
///
/// Two regimes, chosen by k:
/// - k ≤ `sortedLimit` (the chatbot case): a small array kept sorted. Most scores are
///   rejected by one comparison against `threshold`; an insertion shifts a few elements.
/// - larger k (int8 re-ranking candidates, big result lists): admitted entries are appended
///   unsorted and, when 2k have accumulated, sorted and cut back to k. That costs
///   O(log k) per admitted entry instead of O(k) shifting per insertion.
package struct TopK {
    static let sortedLimit = 32

    package let k: Int
    private var scores: [Float]
    private var rows: [Int]
    /// True once `scores`/`rows` hold k entries whose worst is (`threshold`, `worstRow`).
    package private(set) var full = false
    private var worstRow = Int.max
    /// Scores must be strictly above this to be worth an `insert` call: the worst of k kept
    /// entries, -infinity before k are known. Scans visit rows in increasing order, so an
    /// equal score can never beat an already kept (lower) row and `>` is exact there.
    package private(set) var threshold: Float = -.infinity

    package init(k: Int) {
        self.k = k
        scores = []
        rows = []
        let capacity = k <= Self.sortedLimit ? k + 1 : 2 * k
        scores.reserveCapacity(capacity)
        rows.reserveCapacity(capacity)
    }

    /// Offers (score, row); general tie rule, rows may come in any order.
    @inline(__always)
    package mutating func insert(_ score: Float, row: Int) {
        if k == 0 { return }
        if full && !SearchHit.ranksBefore(score, row, threshold, worstRow) { return }
        if k <= Self.sortedLimit {
            if scores.count == k {
                scores.removeLast()
                rows.removeLast()
            }
            var i = scores.count
            while i > 0 && SearchHit.ranksBefore(score, row, scores[i - 1], rows[i - 1]) { i -= 1 }
            scores.insert(score, at: i)
            rows.insert(row, at: i)
            if scores.count == k { setWorst() }
        } else {
            scores.append(score)
            rows.append(row)
            if scores.count == 2 * k { compact() }
        }
    }

    /// Offers a block of scores for consecutive rows from `firstRow`. Rows arrive in
    /// increasing order, so a score equal to the threshold never ranks before the kept row:
    /// only scores above it are offered, and the threshold is read once per insertion.
    @inline(__always)
    mutating func insert(block scores: UnsafePointer<Float>, count: Int, firstRow: Int) {
        var t = threshold
        for i in 0..<count where scores[i] > t {
            insert(scores[i], row: firstRow + i)
            t = threshold
        }
    }

    private mutating func setWorst() {
        full = true
        threshold = scores[k - 1]
        worstRow = rows[k - 1]
    }

    /// Sorts the admitted entries and keeps the best k.
    private mutating func compact() {
        if scores.count > 1 {
            let order = scores.indices.sorted { SearchHit.ranksBefore(scores[$0], rows[$0], scores[$1], rows[$1]) }
                .prefix(k)
            scores = order.map { scores[$0] }
            rows = order.map { rows[$0] }
            scores.reserveCapacity(2 * k)
            rows.reserveCapacity(2 * k)
        }
        if scores.count == k { setWorst() }
    }

    mutating func merge(_ other: TopK) {
        for i in 0..<other.scores.count { insert(other.scores[i], row: other.rows[i]) }
    }

    /// The kept entries, best first.
    package var hits: [SearchHit] {
        var s = self
        if k > Self.sortedLimit { s.compact() }
        return (0..<s.scores.count).map { SearchHit(row: s.rows[$0], score: s.scores[$0]) }
    }

    /// Rows of the kept entries (any order).
    var keptRows: [Int] { rows }
}
