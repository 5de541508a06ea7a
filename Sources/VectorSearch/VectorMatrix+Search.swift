import ChatbotErrors
/// Rows scored per kernel call before the threshold pass: big enough to amortise the
/// call, small enough (4 KiB) to stay in L1.
let scoreBlockRows = 1024

extension VectorMatrix {
    /// Number of int8 candidates re-ranked exactly in float32 for a top-k query.
    static func rerankCandidates(k: Int) -> Int { max(8 * k, 64) }

    /// Exact top-`k` rows by inner product with the normalised `query` (cosine), best
    /// first, ties broken by lower row. int8 matrices re-rank their best candidates in
    /// float32. `threads`: nil = automatic (1 below 32 MB), otherwise that many threads.
    ///
    /// Throws `dimensionMismatch` if `query.count != dim`, `nonFinite(row: 0, …)` or
    /// `zeroVector(row: 0)` for an unusable query, `invalidArgument` for k < 0, threads < 1.
    public func search(_ query: [Float], k: Int, threads: Int? = nil) throws(ChatbotError) -> [SearchHit] {
        guard k >= 0 else { throw .invalidArgument("k must be ≥ 0, got \(k)") }
        guard query.count == dim else { throw .dimensionMismatch(expected: dim, got: query.count) }
        let q = try PaddedQueries(query, count: 1, dim: dim, stride: queryStride)
        let t = try resolveThreads(threads, rows: rows, scannedBytes: scannedByteCount)
        if k == 0 || rows == 0 { return [] }
        return searchNormalized(q.pointer(0), k: min(k, rows), threads: t)
    }

    /// Top-k for an already normalised, padded query.
    func searchNormalized(_ q: UnsafeRawPointer, k: Int, threads: Int) -> [SearchHit] {
        switch type {
        case .float32, .float16:
            let parts = forEachPartition(rows: rows, parts: threads) { scanFloat(q, range: $0, k: k) }
            var top = parts[0]
            for p in parts.dropFirst() { top.merge(p) }
            return top.hits
        case .int8:
            let exact = self.exact!
            let candidates = min(Self.rerankCandidates(k: k), rows)
            let q8 = AlignedStorage(byteCount: rowStride)
            let q16 = AlignedStorage(byteCount: 2 * rowStride)
            let p8 = q8.pointer.assumingMemoryBound(to: Int8.self)
            let p16 = q16.pointer.assumingMemoryBound(to: Int16.self)
            _ = quantize(q.assumingMemoryBound(to: Float.self), count: dim, into: p8)
            for i in 0..<rowStride { p16[i] = Int16(p8[i]) }
            let parts = forEachPartition(rows: rows, parts: threads) {
                scanInt8(UnsafePointer(p16), range: $0, k: candidates)
            }
            var top = TopK(k: k)
            for p in parts {
                for row in p.keptRows {
                    top.insert(dotF32(q, exact.base + row * exact.rowBytes, bytes: exact.rowBytes), row: row)
                }
            }
            return top.hits
        }
    }

    /// Scans `range` of a float32/float16 matrix: scores blocks of rows into a small
    /// buffer, then offers only those above the current threshold to the top-k.
    func scanFloat(_ q: UnsafeRawPointer, range: Range<Int>, k: Int) -> TopK {
        var top = TopK(k: k)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scoreBlockRows) { buf in
            let out = buf.baseAddress!
            var start = range.lowerBound
            while start < range.upperBound {
                let n = min(scoreBlockRows, range.upperBound - start)
                if type == .float32 {
                    scoreRowsF32(query: q, base: base, rowBytes: rowBytes, first: start, count: n, out: out)
                } else {
                    scoreRowsF16(query: q, base: base, rowBytes: rowBytes, first: start, count: n, out: out)
                }
                top.insert(block: out, count: n, firstRow: start)
                start += n
            }
        }
        return top
    }

    /// Int8 candidate scan of `range` (approximate scores).
    func scanInt8(_ q16: UnsafePointer<Int16>, range: Range<Int>, k: Int) -> TopK {
        var top = TopK(k: k)
        let rowsI8 = base.assumingMemoryBound(to: Int8.self)
        let sp = UnsafePointer(scales!.pointer.assumingMemoryBound(to: Float.self))
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scoreBlockRows) { buf in
            let out = buf.baseAddress!
            var start = range.lowerBound
            while start < range.upperBound {
                let n = min(scoreBlockRows, range.upperBound - start)
                scoreRowsI8(query: q16, base: rowsI8, rowBytes: rowBytes, scales: sp, first: start, count: n, out: out)
                top.insert(block: out, count: n, firstRow: start)
                start += n
            }
        }
        return top
    }
}

/// Normalised queries, each zero-padded to `stride` floats, in 64-byte-aligned memory.
/// Extra queries up to `paddedCount` are zero (the batch kernel works in groups of 4).
struct PaddedQueries {
    let storage: AlignedStorage
    let stride: Int
    let count: Int

    init(_ values: [Float], count: Int, dim: Int, stride: Int, paddedCount: Int? = nil) throws(ChatbotError) {
        self.stride = stride
        self.count = count
        storage = AlignedStorage(byteCount: max(paddedCount ?? count, count) * stride * 4)
        let dst = storage.pointer.assumingMemoryBound(to: Float.self)
        for i in 0..<count {
            let row = UnsafeMutableBufferPointer(start: dst + i * stride, count: dim)
            values.withUnsafeBufferPointer { src in
                _ = row.initialize(from: src[(i * dim)..<(i * dim + dim)])
            }
            try normalizeInPlace(row, row: i)
        }
    }

    func pointer(_ i: Int) -> UnsafeRawPointer { UnsafeRawPointer(storage.pointer) + i * stride * 4 }
}
