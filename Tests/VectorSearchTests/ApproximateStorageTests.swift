import ChatbotErrors
import Testing
@testable import VectorSearch

@Suite struct ApproximateStorageTests {
    @Test(arguments: [1, 7, 17, 64, 385])
    func float16ScoresAreClose(dim: Int) throws {
        let rows = 301
        let values = makeVectors(rows: rows, dim: dim, seed: 11, .clustered)
        let m = try VectorMatrix(rows: rows, dim: dim, values: values, type: .float16)
        #expect(m.type == .float16)
        let qs = makeVectors(rows: 10, dim: dim, seed: 12, .clustered)
        var total = 0.0
        for i in 0..<10 {
            let q = query(qs, i, dim: dim)
            let want = bruteForce(values, rows: rows, dim: dim, query: q, k: 10)
            let got = try m.search(q, k: 10)
            #expect(got.count == min(10, rows))
            // Each returned score is the stored row's cosine to within float16 rounding.
            let exact = bruteForce(values, rows: rows, dim: dim, query: q, k: rows)
            let byRow = Dictionary(uniqueKeysWithValues: exact.map { ($0.row, $0.score) })
            for h in got { #expect(abs(h.score - byRow[h.row]!) < 2e-3) }
            total += recall(got, want)
        }
        #expect(total / 10 >= 0.95)
    }

    @Test(arguments: Distribution.allCases)
    func int8RerankedRecallAt10(distribution: Distribution) throws {
        let (rows, dim) = (4000, 384)
        let values = makeVectors(rows: rows, dim: dim, seed: 21, distribution)
        let f32 = try VectorMatrix(rows: rows, dim: dim, values: values)
        let i8 = try f32.converted(to: .int8)
        #expect(i8.type == .int8)
        #expect(i8.byteCount > f32.byteCount)  // the float32 rows are kept for re-ranking
        #expect(i8.scannedByteCount < f32.scannedByteCount / 3)
        let qs = makeVectors(rows: 50, dim: dim, seed: 22, distribution)
        var total = 0.0
        for i in 0..<50 {
            let q = query(qs, i, dim: dim)
            let want = try f32.search(q, k: 10)
            let got = try i8.search(q, k: 10)
            // Re-ranked scores are exact float32 scores.
            let unitQ = try normalizedCopy(q)
            for h in got {
                let exact = zip(try f32.row(h.row), unitQ).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(h.score - exact) < 1e-5)
            }
            total += recall(got, want)
        }
        #expect(total / 50 >= 0.99)
    }

    @Test func int8HandlesTinyAndOddShapes() throws {
        for dim in [1, 3, 65] {
            let rows = 37
            let values = makeVectors(rows: rows, dim: dim, seed: UInt64(dim))
            let m = try VectorMatrix(rows: rows, dim: dim, values: values, type: .int8)
            let q = makeVectors(rows: 1, dim: dim, seed: 99)
            // Fewer rows than candidates: every row is re-ranked, so the result is exact.
            expectMatchesReference(try m.search(q, k: 5), bruteForce(values, rows: rows, dim: dim, query: q, k: 5))
            #expect(try m.search(q, k: 100).count == rows)
            #expect(try m.row(3).count == dim)
        }
    }

    @Test func int8DimensionIsBounded() throws {
        let dim = VectorMatrix.maxInt8Dimension + 1
        let values = [Float](repeating: 1, count: dim)
        #expect(throws: ChatbotError.self) { try VectorMatrix(rows: 1, dim: dim, values: values, type: .int8) }
        let f32 = try VectorMatrix(rows: 1, dim: dim, values: values)
        #expect(throws: ChatbotError.self) { try f32.converted(to: .int8) }
        #expect(try f32.converted(to: .float16).search(values, k: 1)[0].row == 0)
    }

    @Test func conversionsKeepTheVectors() throws {
        let values = makeVectors(rows: 20, dim: 10, seed: 5)
        let f32 = try VectorMatrix(rows: 20, dim: 10, values: values)
        #expect(try f32.converted(to: .float32) === f32)
        let f16 = try f32.converted(to: .float16)
        let back = try f16.converted(to: .float32)
        let i8 = try f16.converted(to: .int8)
        for r in 0..<20 {
            for (a, b) in zip(try f32.row(r), try back.row(r)) { #expect(abs(a - b) < 1e-3) }
            #expect(try i8.row(r) == back.row(r))
        }
        #expect(try i8.converted(to: .float32).row(0) == back.row(0))
        #expect(try i8.converted(to: .float16).type == .float16)
    }
}
