// Float32 dot-product kernels. Every row and the query are padded with zeros to a multiple
// of 16 floats (64 bytes), so the loops have no scalar tail.
//
// Codegen notes (checked with objdump on the release object, see perf-x86.md):
// `addProduct` on SIMD8<Float> becomes `vfmadd231ps ymm` under -march=x86-64-v3. Rows are
// scored one at a time with 4 accumulators: a variant scoring 4 rows per step (sharing the
// query loads) ran at 10 GB/s against 56 GB/s for this one on a 15 MB matrix — the
// interleaved streams defeat the hardware prefetcher.

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
