// Float16 rows, float32 query. Rows are padded to a multiple of 32 halves (64 bytes).
// Widening is written element by element: the generic SIMD conversion initialisers are
// out-of-line calls (perf-x86.md), while this loop becomes one `vcvtph2ps`.

@inline(__always)
func widen(_ h: SIMD8<Float16>) -> SIMD8<Float> {
    var f = SIMD8<Float>()
    for i in 0..<8 { f[i] = Float(h[i]) }
    return f
}

/// Scores rows `first..<first+count` of a float16 matrix (row stride `rowBytes`, i.e.
/// `rowBytes/2` halves, a multiple of 32) against a float32 query padded as far.
///
/// One row at a time with 4 accumulators: interleaving 2–4 rows per step measured 3–8×
/// slower once the matrix leaves L2 (the hardware prefetcher loses the streams), while a
/// single row keeps one sequential stream.
func scoreRowsF16(query q: UnsafeRawPointer, base: UnsafeRawPointer, rowBytes: Int,
                  first: Int, count: Int, out: UnsafeMutablePointer<Float>) {
    var r = base + first * rowBytes
    for i in 0..<count {
        var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>(), d = SIMD8<Float>()
        var off = 0
        while off < rowBytes {
            a.addProduct(q.load(fromByteOffset: 2 * off, as: SIMD8<Float>.self),
                         widen(r.load(fromByteOffset: off, as: SIMD8<Float16>.self)))
            b.addProduct(q.load(fromByteOffset: 2 * off + 32, as: SIMD8<Float>.self),
                         widen(r.load(fromByteOffset: off + 16, as: SIMD8<Float16>.self)))
            c.addProduct(q.load(fromByteOffset: 2 * off + 64, as: SIMD8<Float>.self),
                         widen(r.load(fromByteOffset: off + 32, as: SIMD8<Float16>.self)))
            d.addProduct(q.load(fromByteOffset: 2 * off + 96, as: SIMD8<Float>.self),
                         widen(r.load(fromByteOffset: off + 48, as: SIMD8<Float16>.self)))
            off += 64
        }
        out[i] = hsum((a + b) + (c + d))
        r += rowBytes
    }
}

/// Widens one float16 row of `halves` values (a multiple of 16) into float32.
@inline(__always)
func widenRow(_ src: UnsafeRawPointer, halves: Int, into dst: UnsafeMutableRawPointer) {
    var off = 0
    while off < 2 * halves {
        dst.storeBytes(of: widen(src.load(fromByteOffset: off, as: SIMD8<Float16>.self)),
                       toByteOffset: 2 * off, as: SIMD8<Float>.self)
        off += 16
    }
}
