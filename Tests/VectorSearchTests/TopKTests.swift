import Testing
@testable import VectorSearch

@Suite struct TopKTests {
    /// Both regimes (sorted array, append-and-compact) against a full sort, with many ties
    /// and rows offered in scrambled order.
    @Test(arguments: [0, 1, 5, 32, 33, 100, 700])
    func matchesFullSort(k: Int) {
        var rng = SplitMix64(seed: UInt64(k))
        let entries = (0..<2000).map { row in (score: Float(rng.next() % 50) / 7, row: row) }.shuffled(using: &rng)
        var top = TopK(k: k)
        var halves = (TopK(k: k), TopK(k: k))
        for (i, e) in entries.enumerated() {
            top.insert(e.score, row: e.row)
            if i % 2 == 0 { halves.0.insert(e.score, row: e.row) } else { halves.1.insert(e.score, row: e.row) }
        }
        let want = entries.sorted { SearchHit.ranksBefore($0.score, $0.row, $1.score, $1.row) }
            .prefix(k).map { SearchHit(row: $0.row, score: $0.score) }
        #expect(top.hits == Array(want))
        halves.0.merge(halves.1)
        #expect(halves.0.hits == Array(want))
        #expect(Set(top.keptRows).isSuperset(of: want.map(\.row)))
        if k > 0 && k <= 2000 {
            #expect(top.threshold <= want.last!.score)
        }
    }
}
