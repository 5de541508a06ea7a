/// One search result: a matrix row and its inner product with the (normalised) query,
/// which is the cosine similarity because rows are unit vectors.
public struct SearchHit: Sendable, Equatable, CustomStringConvertible {
    public var row: Int
    public var score: Float

    public init(row: Int, score: Float) {
        self.row = row
        self.score = score
    }

    public var description: String { "(\(row), \(score))" }

    /// Result order: higher score first, then lower row index, so results are deterministic.
    @inline(__always)
    static func ranksBefore(_ s1: Float, _ r1: Int, _ s2: Float, _ r2: Int) -> Bool {
        s1 > s2 || (s1 == s2 && r1 < r2)
    }
}
