import ChatbotErrors
import Testing
@testable import VectorSearch

@Suite struct BatchAndThreadTests {
    @Test(arguments: ElementType.allCases)
    func batchEqualsSingle(type: ElementType) throws {
        for (rows, dim) in [(1, 3), (2, 17), (100, 8), (1031, 96), (500, 385)] {
            let values = makeVectors(rows: rows, dim: dim, seed: UInt64(rows * dim), .clustered)
            let m = try VectorMatrix(rows: rows, dim: dim, values: values, type: type)
            for count in [1, 3, 4, 5, 9] {
                let qs = makeVectors(rows: count, dim: dim, seed: UInt64(count), .clustered)
                let batch = try m.search(batch: qs, count: count, k: 7)
                #expect(batch.count == count)
                for i in 0..<count {
                    let single = try m.search(query(qs, i, dim: dim), k: 7)
                    #expect(batch[i].map(\.row) == single.map(\.row), "rows \(rows) dim \(dim) query \(i)")
                    for (b, s) in zip(batch[i], single) { #expect(abs(b.score - s.score) < 1e-5) }
                }
            }
        }
    }

    @Test(arguments: [ElementType.float32, .float16])
    func threadsEqualSingle(type: ElementType) throws {
        let (rows, dim) = (3001, 40)
        let values = makeVectors(rows: rows, dim: dim, seed: 31)
        let m = try VectorMatrix(rows: rows, dim: dim, values: values, type: type)
        let qs = makeVectors(rows: 6, dim: dim, seed: 32)
        let batch1 = try m.search(batch: qs, count: 6, k: 10, threads: 1)
        for threads in [2, 3, 7] {
            for i in 0..<6 {
                let q = query(qs, i, dim: dim)
                #expect(try m.search(q, k: 10, threads: threads) == m.search(q, k: 10, threads: 1))
            }
            #expect(try m.search(batch: qs, count: 6, k: 10, threads: threads) == batch1)
        }
        // More threads than rows is capped, not an error.
        let tiny = try VectorMatrix(rows: 2, dim: dim, values: Array(values.prefix(2 * dim)), type: type)
        #expect(try tiny.search(query(qs, 0, dim: dim), k: 5, threads: 8).count == 2)
    }

    @Test func int8ThreadsKeepRecall() throws {
        let (rows, dim) = (3000, 128)
        let values = makeVectors(rows: rows, dim: dim, seed: 41)
        let f32 = try VectorMatrix(rows: rows, dim: dim, values: values)
        let i8 = try f32.converted(to: .int8)
        let qs = makeVectors(rows: 20, dim: dim, seed: 42)
        var total = 0.0
        let batch = try i8.search(batch: qs, count: 20, k: 10, threads: 2)
        for i in 0..<20 {
            let q = query(qs, i, dim: dim)
            let want = try f32.search(q, k: 10)
            total += recall(try i8.search(q, k: 10, threads: 2), want)
            #expect(batch[i] == (try i8.search(q, k: 10, threads: 2)))
        }
        #expect(total / 20 >= 0.99)
    }

    @Test func automaticThreadCount() throws {
        #expect(try resolveThreads(nil, rows: 1000, scannedBytes: 1 << 20) == 1)
        #expect(try resolveThreads(nil, rows: 1000, scannedBytes: 64 << 20) == min(onlineProcessorCount, 1000))
        #expect(try resolveThreads(4, rows: 3, scannedBytes: 0) == 3)
        #expect(throws: ChatbotError.self) { try resolveThreads(-1, rows: 3, scannedBytes: 0) }
    }
}
