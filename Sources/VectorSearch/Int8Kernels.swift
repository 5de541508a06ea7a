// Int8 rows with one float scale per row: value ≈ Float(q) * scale.
// The dot product is a plain scalar Int32 loop that LLVM vectorises (vpmovsxbw + vpmaddwd),
// whereas SIMD<Int8> code is ~400× slower on this toolchain (perf-x86.md). The query is
// widened to Int16 once per search, so the loop sign-extends only the row bytes: 27 GB/s
// instead of 21 GB/s with both operands int8 (L3-resident 10k × 384, measured here).

/// Quantises `n` floats to int8 with a symmetric scale (max |x| → 127); returns the scale
/// (value = q * scale). Padding bytes beyond `n` stay as they are (zero).
func quantize(_ x: UnsafePointer<Float>, count n: Int, into q: UnsafeMutablePointer<Int8>) -> Float {
    var m: Float = 0
    for i in 0..<n { m = max(m, abs(x[i])) }
    if m == 0 { return 0 }
    let s = 127 / m
    for i in 0..<n {
        q[i] = Int8(max(-127, min(127, (x[i] * s).rounded())))
    }
    return m / 127
}

/// Integer dot product of a widened int8 query and an int8 row of `n` values.
@inline(__always)
func dotI8(_ a: UnsafePointer<Int16>, _ b: UnsafePointer<Int8>, count n: Int) -> Int32 {
    var acc: Int32 = 0
    for j in 0..<n { acc &+= Int32(a[j]) &* Int32(b[j]) }
    return acc
}

/// Approximate scores (without the query's own scale, which does not change the order)
/// for rows `first..<first+count` into `out`.
func scoreRowsI8(query q: UnsafePointer<Int16>, base: UnsafePointer<Int8>, rowBytes: Int,
                 scales: UnsafePointer<Float>, first: Int, count: Int,
                 out: UnsafeMutablePointer<Float>) {
    var r = base + first * rowBytes
    for i in 0..<count {
        out[i] = Float(dotI8(q, r, count: rowBytes)) * scales[first + i]
        r += rowBytes
    }
}
