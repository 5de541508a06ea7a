/// Bounded best-k list kept sorted (best first), with the admission threshold cached.
///
/// For the small k of a chatbot (≤ a few dozen) a sorted array beats a heap: most scores
/// are rejected by one comparison against `threshold`, and an insertion shifts a few
/// elements. Order is score descending, then row ascending (deterministic ties).
struct TopK {
    let k: Int
    private(set) var scores: [Float]
    private(set) var rows: [Int]
    /// Scores must be strictly above this to be worth an `insert` call: the worst kept
    /// score once full, -infinity before. Because scans visit rows in increasing order, an
    /// equal score can never beat an already kept lower row, so `>` is exact.
    private(set) var threshold: Float = -.infinity

    init(k: Int) {
        self.k = k
        scores = []
        rows = []
        scores.reserveCapacity(k + 1)
        rows.reserveCapacity(k + 1)
    }

    var count: Int { scores.count }

    /// Inserts if (score, row) ranks among the best k; general tie rule, any row order.
    @inline(__always)
    mutating func insert(_ score: Float, row: Int) {
        if k == 0 { return }
        if scores.count == k {
            let last = k - 1
            guard SearchHit.ranksBefore(score, row, scores[last], rows[last]) else { return }
            scores.removeLast()
            rows.removeLast()
        }
        var i = scores.count
        while i > 0 && SearchHit.ranksBefore(score, row, scores[i - 1], rows[i - 1]) { i -= 1 }
        scores.insert(score, at: i)
        rows.insert(row, at: i)
        if scores.count == k { threshold = scores[k - 1] }
    }

    mutating func merge(_ other: TopK) {
        for i in 0..<other.count { insert(other.scores[i], row: other.rows[i]) }
    }

    var hits: [SearchHit] {
        (0..<scores.count).map { SearchHit(row: rows[$0], score: scores[$0]) }
    }
}
