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
/// `rowBytes/2` halves) against a float32 query padded to at least as many floats.
func scoreRowsF16(query q: UnsafeRawPointer, base: UnsafeRawPointer, rowBytes: Int,
                  first: Int, count: Int, out: UnsafeMutablePointer<Float>) {
    var r = base + first * rowBytes
    var i = 0
    while i + 2 <= count {
        let r1 = r + rowBytes
        var a0 = SIMD8<Float>(), b0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b1 = SIMD8<Float>()
        var off = 0
        while off < rowBytes {
            // 32 halves of the row match 64 bytes (16 floats) ... 128 bytes of query.
            let qa = q.load(fromByteOffset: 2 * off, as: SIMD8<Float>.self)
            let qb = q.load(fromByteOffset: 2 * off + 32, as: SIMD8<Float>.self)
            a0.addProduct(qa, widen(r.load(fromByteOffset: off, as: SIMD8<Float16>.self)))
            b0.addProduct(qb, widen(r.load(fromByteOffset: off + 16, as: SIMD8<Float16>.self)))
            a1.addProduct(qa, widen(r1.load(fromByteOffset: off, as: SIMD8<Float16>.self)))
            b1.addProduct(qb, widen(r1.load(fromByteOffset: off + 16, as: SIMD8<Float16>.self)))
            off += 32
        }
        out[i] = hsum(a0 + b0)
        out[i + 1] = hsum(a1 + b1)
        i += 2
        r = r1 + rowBytes
    }
    if i < count {
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        var off = 0
        while off < rowBytes {
            a.addProduct(q.load(fromByteOffset: 2 * off, as: SIMD8<Float>.self),
                         widen(r.load(fromByteOffset: off, as: SIMD8<Float16>.self)))
            b.addProduct(q.load(fromByteOffset: 2 * off + 32, as: SIMD8<Float>.self),
                         widen(r.load(fromByteOffset: off + 16, as: SIMD8<Float16>.self)))
            off += 32
        }
        out[i] = hsum(a + b)
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
