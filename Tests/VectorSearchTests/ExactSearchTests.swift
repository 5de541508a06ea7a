import ChatbotErrors
import Testing
@testable import VectorSearch

/// Same rows as the Double reference, except where two reference scores are within float
/// rounding of each other (exact ties may legitimately swap); scores close.
func expectMatchesReference(_ got: [SearchHit], _ want: [SearchHit], tolerance: Float = 2e-5,
                            sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == want.count, sourceLocation: sourceLocation)
    for (g, w) in zip(got, want) {
        #expect(abs(g.score - w.score) <= tolerance, "\(g) vs \(w)", sourceLocation: sourceLocation)
        if g.row != w.row {
            #expect(abs(g.score - w.score) <= tolerance, "row \(g.row) ≠ \(w.row) without a tie", sourceLocation: sourceLocation)
        }
    }
    // Best first, ties by lower row.
    for (a, b) in zip(got, got.dropFirst()) {
        #expect(a.score > b.score || (a.score == b.score && a.row < b.row), sourceLocation: sourceLocation)
    }
}

@Suite struct ExactSearchTests {
    @Test(arguments: [1, 3, 7, 16, 17, 33, 384, 385])
    func float32MatchesBruteForce(dim: Int) throws {
        for distribution in Distribution.allCases {
            let rows = 203  // not a multiple of the 4-row or 3-row blocks
            let values = makeVectors(rows: rows, dim: dim, seed: UInt64(dim), distribution)
            let m = try VectorMatrix(rows: rows, dim: dim, values: values)
            let qs = makeVectors(rows: 5, dim: dim, seed: 1000 + UInt64(dim), distribution)
            for i in 0..<5 {
                let q = query(qs, i, dim: dim)
                for k in [1, 10] {
                    expectMatchesReference(try m.search(q, k: k), bruteForce(values, rows: rows, dim: dim, query: q, k: k))
                }
            }
        }
    }

    @Test func largerThanOneScoreBlock() throws {
        // 2500 rows span three 1024-row score blocks.
        let (rows, dim) = (2500, 24)
        let values = makeVectors(rows: rows, dim: dim, seed: 7)
        let m = try VectorMatrix(rows: rows, dim: dim, values: values)
        let q = makeVectors(rows: 1, dim: dim, seed: 8)
        expectMatchesReference(try m.search(q, k: 20), bruteForce(values, rows: rows, dim: dim, query: q, k: 20))
    }

    @Test func hugePageBackedMatrix() throws {
        // 3000 × 400 float32 = 4.8 MB: above the threshold where storage is mmapped.
        let (rows, dim) = (3000, 400)
        let values = makeVectors(rows: rows, dim: dim, seed: 9, .clustered)
        let m = try VectorMatrix(rows: rows, dim: dim, values: values)
        #expect(m.byteCount >= AlignedStorage.hugePageThreshold)
        m.withUnsafeBytes { #expect(Int(bitPattern: $0.baseAddress!) % AlignedStorage.hugePageSize == 0) }
        let q = makeVectors(rows: 1, dim: dim, seed: 10, .clustered)
        expectMatchesReference(try m.search(q, k: 10), bruteForce(values, rows: rows, dim: dim, query: q, k: 10))
    }

    @Test func kZeroFewerRowsThanKAndEmptyMatrix() throws {
        let values = makeVectors(rows: 3, dim: 5, seed: 1)
        let m = try VectorMatrix(rows: 3, dim: 5, values: values)
        let q = makeVectors(rows: 1, dim: 5, seed: 2)
        #expect(try m.search(q, k: 0).isEmpty)
        let all = try m.search(q, k: 10)
        #expect(all.count == 3)
        expectMatchesReference(all, bruteForce(values, rows: 3, dim: 5, query: q, k: 3))
        let empty = try VectorMatrix(rows: 0, dim: 5, values: [])
        #expect(try empty.search(q, k: 4).isEmpty)
        #expect(try empty.search(batch: q + q, count: 2, k: 4) == [[], []])
        #expect(empty.rows == 0 && empty.dim == 5)
    }

    @Test func tiesGoToTheLowerRow() throws {
        // Rows 1, 3 and 4 are the same direction; 4 is scaled (normalised on insert).
        let values: [Float] = [0, 1, 1, 0, 0, 1, 1, 0, 2, 0]
        let m = try VectorMatrix(rows: 5, dim: 2, values: values)
        let hits = try m.search([3, 0], k: 2)
        #expect(hits.map(\.row) == [1, 3])
        #expect(try m.search([3, 0], k: 3, threads: 2).map(\.row) == [1, 3, 4])
        #expect(try m.search(batch: [3, 0], count: 1, k: 3)[0].map(\.row) == [1, 3, 4])
    }

    @Test func rowsAndQueriesAreNormalised() throws {
        let m = try VectorMatrix(rows: 2, dim: 3, values: [3, 0, 4, 0, -10, 0])
        #expect(try m.row(0) == [0.6, 0, 0.8])
        #expect(try m.row(1) == [0, -1, 0])
        let hits = try m.search([0, 0, 100], k: 2)
        #expect(hits[0].row == 0 && abs(hits[0].score - 0.8) < 1e-6)
        #expect(hits[1].row == 1 && hits[1].score == 0)
        #expect(try normalizedCopy([0, 3, 4]) == [0, 0.6, 0.8])
        // Huge components would overflow a Float sum of squares.
        let big = try normalizedCopy([3e30, 4e30])
        #expect(abs(big[0] - 0.6) < 1e-6 && abs(big[1] - 0.8) < 1e-6)
    }

    @Test func badVectorsAreRejected() {
        #expect(throws: ChatbotError.nonFinite(row: 1, column: 2)) {
            try VectorMatrix(rows: 2, dim: 3, values: [1, 0, 0, 0, 1, .nan])
        }
        #expect(throws: ChatbotError.nonFinite(row: 0, column: 0)) {
            try VectorMatrix(rows: 1, dim: 2, values: [.infinity, 1], type: .int8)
        }
        #expect(throws: ChatbotError.zeroVector(row: 1)) {
            try VectorMatrix(rows: 2, dim: 2, values: [1, 0, 0, 0], type: .float16)
        }
        #expect(throws: ChatbotError.dimensionMismatch(expected: 6, got: 5)) {
            try VectorMatrix(rows: 2, dim: 3, values: [1, 2, 3, 4, 5])
        }
        #expect(throws: ChatbotError.self) { try VectorMatrix(rows: 1, dim: 0, values: []) }
        #expect(throws: ChatbotError.self) { try VectorMatrix(rows: -1, dim: 2, values: []) }
        #expect(throws: ChatbotError.self) { try VectorMatrix(rows: Int.max, dim: 4, values: []) }
        #expect(throws: ChatbotError.nonFinite(row: 0, column: 1)) { try normalizedCopy([1, -.infinity]) }
        #expect(throws: ChatbotError.zeroVector(row: 0)) { try normalizedCopy([0, 0]) }
        #expect(throws: ChatbotError.zeroVector(row: 0)) { try normalizedCopy([]) }
    }

    @Test(arguments: ElementType.allCases)
    func badQueriesAreRejected(type: ElementType) throws {
        let m = try VectorMatrix(rows: 2, dim: 3, values: [1, 0, 0, 0, 1, 0], type: type)
        #expect(throws: ChatbotError.dimensionMismatch(expected: 3, got: 2)) { try m.search([1, 0], k: 1) }
        #expect(throws: ChatbotError.nonFinite(row: 0, column: 1)) { try m.search([1, .nan, 0], k: 1) }
        #expect(throws: ChatbotError.zeroVector(row: 0)) { try m.search([0, 0, 0], k: 1) }
        #expect(throws: ChatbotError.invalidArgument("k must be ≥ 0, got -1")) { try m.search([1, 0, 0], k: -1) }
        #expect(throws: ChatbotError.invalidArgument("threads must be ≥ 1, got 0")) { try m.search([1, 0, 0], k: 1, threads: 0) }
        #expect(throws: ChatbotError.dimensionMismatch(expected: 6, got: 3)) { try m.search(batch: [1, 0, 0], count: 2, k: 1) }
        #expect(throws: ChatbotError.nonFinite(row: 1, column: 0)) { try m.search(batch: [1, 0, 0, .infinity, 0, 0], count: 2, k: 1) }
        #expect(throws: ChatbotError.zeroVector(row: 1)) { try m.search(batch: [1, 0, 0, 0, 0, 0], count: 2, k: 1) }
        #expect(throws: ChatbotError.self) { try m.search(batch: [], count: -1, k: 1) }
        #expect(throws: ChatbotError.self) { try m.search(batch: [1, 0, 0], count: 1, k: -2) }
        #expect(throws: ChatbotError.self) { try m.row(2) }
        #expect(throws: ChatbotError.self) { try m.row(-1) }
        #expect(try m.search(batch: [], count: 0, k: 3).isEmpty)
        #expect(try m.search(batch: [0, 1, 0], count: 1, k: 0) == [[]])
    }

    @Test func errorsDescribeThemselves() {
        #expect(ChatbotError.nonFinite(row: 4, column: 2).description.contains("row 4"))
        #expect(ChatbotError.zeroVector(row: 1).description.contains("zeros"))
        #expect(ChatbotError.dimensionMismatch(expected: 3, got: 2).description.contains("expected 3"))
        #expect(ChatbotError.invalidArgument("boom").description == "boom")
    }
}
