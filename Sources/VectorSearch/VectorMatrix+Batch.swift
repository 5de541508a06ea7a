import ChatbotErrors
extension VectorMatrix {
    /// Top-`k` for `count` queries given row-major in `queries` (`count × dim` floats), in
    /// one pass over the matrix: float32 and float16 rows are read once per batch and scored
    /// against 4 queries at a time by a register-blocked kernel (3 rows × 4 queries) with the
    /// top-k selection fused. int8 matrices run the queries one after another (each scan is
    /// already memory-bound on 4× fewer bytes, and each needs its own float32 re-ranking).
    ///
    /// Result `i` equals `search(query i, k:)`. Errors as for `search`, with the query index
    /// as `row` in `nonFinite`/`zeroVector`; `dimensionMismatch` when
    /// `queries.count != count × dim`.
    public func search(batch queries: [Float], count: Int, k: Int, threads: Int? = nil) throws(ChatbotError) -> [[SearchHit]] {
        guard count >= 0 else { throw .invalidArgument("query count must be ≥ 0, got \(count)") }
        guard k >= 0 else { throw .invalidArgument("k must be ≥ 0, got \(k)") }
        let (n, overflow) = count.multipliedReportingOverflow(by: dim)
        guard !overflow, queries.count == n else {
            throw .dimensionMismatch(expected: overflow ? Int.max : n, got: queries.count)
        }
        let q = try PaddedQueries(queries, count: count, dim: dim, stride: queryStride,
                                  paddedCount: roundUp(count, to: 4))
        let t = try resolveThreads(threads, rows: rows, scannedBytes: scannedByteCount)
        if count == 0 { return [] }
        if k == 0 || rows == 0 { return Array(repeating: [], count: count) }
        let kk = min(k, rows)
        if type == .int8 {
            return (0..<count).map { searchNormalized(q.pointer($0), k: kk, threads: t) }
        }
        let parts = forEachPartition(rows: rows, parts: t) { scanBatch(q, range: $0, k: kk) }
        var tops = parts[0]
        for p in parts.dropFirst() {
            for i in 0..<count { tops[i].merge(p[i]) }
        }
        return tops.map(\.hits)
    }

    /// Fused batch scan of `range` for float32/float16 rows.
    func scanBatch(_ q: PaddedQueries, range: Range<Int>, k: Int) -> [TopK] {
        var tops = [TopK](repeating: TopK(k: k), count: q.count)
        let groups = roundUp(q.count, to: 4) / 4
        let qBytes = q.stride * 4
        let dotBytes = qBytes
        let qBase = q.pointer(0)
        // Each 3-row block is first copied (float32) or widened (float16) into this
        // L1-resident scratch, one row after the other: reading the 3 rows as interleaved
        // streams inside the kernel starves the hardware prefetcher once the matrix is
        // DRAM-resident (measured: float16-through-scratch beat direct float32 by 1.6×).
        let scratch = AlignedStorage(byteCount: 3 * qBytes)
        tops.withUnsafeMutableBufferPointer { tops in
            var thresholds = [Float](repeating: -.infinity, count: groups * 4)
            thresholds.withUnsafeMutableBufferPointer { th in
                @inline(__always) func offer(_ s: SIMD4<Float>, group g: Int, row: Int) {
                    for j in 0..<4 where s[j] > th[4 * g + j] {
                        let qi = 4 * g + j
                        if qi >= q.count { break }
                        tops[qi].insert(s[j], row: row)
                        th[qi] = tops[qi].threshold
                    }
                }
                var r = range.lowerBound
                while r + 3 <= range.upperBound {
                    if type == .float16 {
                        for i in 0..<3 {
                            widenRow(base + (r + i) * rowBytes, halves: rowStride, into: scratch.pointer + i * qBytes)
                        }
                    } else {
                        scratch.pointer.copyMemory(from: base + r * rowBytes, byteCount: 3 * rowBytes)
                    }
                    let rows = UnsafeRawPointer(scratch.pointer)
                    for g in 0..<groups {
                        let (s0, s1, s2) = kernel3x4(rows: rows, rowBytes: qBytes, queries: qBase + 4 * g * qBytes,
                                                     queryBytes: qBytes, bytes: dotBytes)
                        offer(s0, group: g, row: r)
                        offer(s1, group: g, row: r + 1)
                        offer(s2, group: g, row: r + 2)
                    }
                    r += 3
                }
                while r < range.upperBound {
                    let row: UnsafeRawPointer
                    if type == .float16 {
                        widenRow(base + r * rowBytes, halves: rowStride, into: scratch.pointer)
                        row = UnsafeRawPointer(scratch.pointer)
                    } else {
                        row = base + r * rowBytes
                    }
                    for g in 0..<groups {
                        let s = kernel1x4(row: row, queries: qBase + 4 * g * qBytes, queryBytes: qBytes, bytes: dotBytes)
                        offer(s, group: g, row: r)
                    }
                    r += 1
                }
            }
        }
        return tops
    }
}
