import Testing
@testable import VectorSearch

@Suite struct DenseScoringTests {
    /// Every dimension class: below one SIMD8, partial 128-byte blocks, scalar tails.
    @Test(arguments: [1, 3, 8, 9, 31, 32, 33, 100, 384, 385])
    func matchesAScalarReference(dim: Int) {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(dim)
        func next() -> Float {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: seed >> 11) % 2000) / 1000 - 1
        }
        let rows = 7
        let query = (0..<dim).map { _ in next() }
        let matrix = (0..<rows * dim).map { _ in next() }
        var out = [Float](repeating: .nan, count: rows)
        query.withUnsafeBufferPointer { q in
            matrix.withUnsafeBufferPointer { m in
                out.withUnsafeMutableBufferPointer { o in
                    innerProducts(query: q.baseAddress!, rows: m.baseAddress!, rowCount: rows, dim: dim, into: o.baseAddress!)
                }
            }
        }
        for r in 0..<rows {
            var expected: Double = 0
            for i in 0..<dim { expected += Double(query[i]) * Double(matrix[r * dim + i]) }
            #expect(abs(Double(out[r]) - expected) < 1e-3 * max(1, abs(expected)), "row \(r) dim \(dim)")
        }
    }
}
