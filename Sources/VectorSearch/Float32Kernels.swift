// Float32 dot-product kernels. Every row and the query are padded with zeros to a multiple
// of 16 floats (64 bytes), so the loops have no scalar tail.
//
// Codegen notes (checked with objdump on the release object, see perf-x86.md):
// `addProduct` on SIMD8<Float> becomes `vfmadd231ps ymm` under -march=x86-64-v3; four rows
// share each query load, giving 8 independent FMA chains to hide FMA latency.

/// Horizontal sum of a SIMD8 by halves (a `.sum()` on wide vectors is a shuffle chain).
@inline(__always)
func hsum(_ v: SIMD8<Float>) -> Float {
    let h = v.lowHalf + v.highHalf
    let q = h.lowHalf + h.highHalf
    return q[0] + q[1]
}

/// Dot product of one padded row with the padded query; `bytes` is a multiple of 64.
@inline(__always)
func dotF32(_ q: UnsafeRawPointer, _ r: UnsafeRawPointer, bytes: Int) -> Float {
    var a = SIMD8<Float>(), b = SIMD8<Float>()
    var off = 0
    while off < bytes {
        a.addProduct(q.load(fromByteOffset: off, as: SIMD8<Float>.self),
                     r.load(fromByteOffset: off, as: SIMD8<Float>.self))
        b.addProduct(q.load(fromByteOffset: off + 32, as: SIMD8<Float>.self),
                     r.load(fromByteOffset: off + 32, as: SIMD8<Float>.self))
        off += 64
    }
    return hsum(a + b)
}

/// Dot product with 4 accumulators (two 64-byte lines per step) for one row.
@inline(__always)
func dotF32x4(_ q: UnsafeRawPointer, _ r: UnsafeRawPointer, bytes: Int) -> Float {
    var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>(), d = SIMD8<Float>()
    var off = 0
    while off + 128 <= bytes {
        a.addProduct(q.load(fromByteOffset: off, as: SIMD8<Float>.self), r.load(fromByteOffset: off, as: SIMD8<Float>.self))
        b.addProduct(q.load(fromByteOffset: off + 32, as: SIMD8<Float>.self), r.load(fromByteOffset: off + 32, as: SIMD8<Float>.self))
        c.addProduct(q.load(fromByteOffset: off + 64, as: SIMD8<Float>.self), r.load(fromByteOffset: off + 64, as: SIMD8<Float>.self))
        d.addProduct(q.load(fromByteOffset: off + 96, as: SIMD8<Float>.self), r.load(fromByteOffset: off + 96, as: SIMD8<Float>.self))
        off += 128
    }
    if off < bytes {
        a.addProduct(q.load(fromByteOffset: off, as: SIMD8<Float>.self), r.load(fromByteOffset: off, as: SIMD8<Float>.self))
        b.addProduct(q.load(fromByteOffset: off + 32, as: SIMD8<Float>.self), r.load(fromByteOffset: off + 32, as: SIMD8<Float>.self))
    }
    return hsum((a + b) + (c + d))
}

/// Scores rows `first..<first+count` of a float32 matrix into `out[0..<count]`.
func scoreRowsF32(query q: UnsafeRawPointer, base: UnsafeRawPointer, rowBytes: Int,
                  first: Int, count: Int, out: UnsafeMutablePointer<Float>) {
    var r = base + first * rowBytes
    for i in 0..<count {
        out[i] = dotF32x4(q, r, bytes: rowBytes)
        r += rowBytes
    }
}

/// Four-rows-per-step variant (kept for comparison measurements).
func scoreRowsF32Interleaved(query q: UnsafeRawPointer, base: UnsafeRawPointer, rowBytes: Int,
                  first: Int, count: Int, out: UnsafeMutablePointer<Float>) {
    var i = 0
    var r = base + first * rowBytes
    while i + 4 <= count {
        let r1 = r + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes
        var a0 = SIMD8<Float>(), b0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b1 = SIMD8<Float>()
        var a2 = SIMD8<Float>(), b2 = SIMD8<Float>(), a3 = SIMD8<Float>(), b3 = SIMD8<Float>()
        var off = 0
        while off < rowBytes {
            let qa = q.load(fromByteOffset: off, as: SIMD8<Float>.self)
            let qb = q.load(fromByteOffset: off + 32, as: SIMD8<Float>.self)
            a0.addProduct(qa, r.load(fromByteOffset: off, as: SIMD8<Float>.self))
            b0.addProduct(qb, r.load(fromByteOffset: off + 32, as: SIMD8<Float>.self))
            a1.addProduct(qa, r1.load(fromByteOffset: off, as: SIMD8<Float>.self))
            b1.addProduct(qb, r1.load(fromByteOffset: off + 32, as: SIMD8<Float>.self))
            a2.addProduct(qa, r2.load(fromByteOffset: off, as: SIMD8<Float>.self))
            b2.addProduct(qb, r2.load(fromByteOffset: off + 32, as: SIMD8<Float>.self))
            a3.addProduct(qa, r3.load(fromByteOffset: off, as: SIMD8<Float>.self))
            b3.addProduct(qb, r3.load(fromByteOffset: off + 32, as: SIMD8<Float>.self))
            off += 64
        }
        out[i] = hsum(a0 + b0)
        out[i + 1] = hsum(a1 + b1)
        out[i + 2] = hsum(a2 + b2)
        out[i + 3] = hsum(a3 + b3)
        i += 4
        r = r3 + rowBytes
    }
    while i < count {
        out[i] = dotF32(q, r, bytes: rowBytes)
        i += 1
        r += rowBytes
    }
}
