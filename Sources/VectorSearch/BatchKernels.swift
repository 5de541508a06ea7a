// Register-blocked batch kernel: 3 rows × 4 queries. With AVX2 (16 ymm registers) the
// 12 SIMD8 accumulators plus 3 row vectors fit exactly; query vectors are used as FMA
// memory operands. Rows are loaded once per block and reused by all queries of the batch
// while they sit in L1, so the matrix is streamed from memory once per batch.

/// Sums of four SIMD8 accumulators as one SIMD4 (one per query).
@inline(__always)
func hsum4(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>, _ d: SIMD8<Float>) -> SIMD4<Float> {
    let a4 = a.lowHalf + a.highHalf, b4 = b.lowHalf + b.highHalf
    let c4 = c.lowHalf + c.highHalf, d4 = d.lowHalf + d.highHalf
    // Pairwise transposition: [a0+a1, a2+a3, b0+b1, b2+b3] etc.
    let ab = SIMD4(a4[0], a4[2], b4[0], b4[2]) + SIMD4(a4[1], a4[3], b4[1], b4[3])
    let cd = SIMD4(c4[0], c4[2], d4[0], d4[2]) + SIMD4(c4[1], c4[3], d4[1], d4[3])
    return SIMD4(ab[0], ab[2], cd[0], cd[2]) + SIMD4(ab[1], ab[3], cd[1], cd[3])
}

/// Scores of 3 rows (`r0`, `r0+rowBytes`, `r0+2*rowBytes`) against 4 queries
/// (`q0`, `q0+qBytes`, …); all padded, `bytes` (the dot length) a multiple of 32.
@inline(__always)
func kernel3x4(rows r0: UnsafeRawPointer, rowBytes: Int, queries q0: UnsafeRawPointer, queryBytes: Int,
               bytes: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let r1 = r0 + rowBytes, r2 = r1 + rowBytes
    let q1 = q0 + queryBytes, q2 = q1 + queryBytes, q3 = q2 + queryBytes
    var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a02 = SIMD8<Float>(), a03 = SIMD8<Float>()
    var a10 = SIMD8<Float>(), a11 = SIMD8<Float>(), a12 = SIMD8<Float>(), a13 = SIMD8<Float>()
    var a20 = SIMD8<Float>(), a21 = SIMD8<Float>(), a22 = SIMD8<Float>(), a23 = SIMD8<Float>()
    var off = 0
    while off < bytes {
        let x0 = r0.load(fromByteOffset: off, as: SIMD8<Float>.self)
        let x1 = r1.load(fromByteOffset: off, as: SIMD8<Float>.self)
        let x2 = r2.load(fromByteOffset: off, as: SIMD8<Float>.self)
        var y = q0.load(fromByteOffset: off, as: SIMD8<Float>.self)
        a00.addProduct(x0, y); a10.addProduct(x1, y); a20.addProduct(x2, y)
        y = q1.load(fromByteOffset: off, as: SIMD8<Float>.self)
        a01.addProduct(x0, y); a11.addProduct(x1, y); a21.addProduct(x2, y)
        y = q2.load(fromByteOffset: off, as: SIMD8<Float>.self)
        a02.addProduct(x0, y); a12.addProduct(x1, y); a22.addProduct(x2, y)
        y = q3.load(fromByteOffset: off, as: SIMD8<Float>.self)
        a03.addProduct(x0, y); a13.addProduct(x1, y); a23.addProduct(x2, y)
        off += 32
    }
    return (hsum4(a00, a01, a02, a03), hsum4(a10, a11, a12, a13), hsum4(a20, a21, a22, a23))
}

/// Scores of 1 row against 4 queries (tail of the row blocks).
@inline(__always)
func kernel1x4(row r0: UnsafeRawPointer, queries q0: UnsafeRawPointer, queryBytes: Int,
               bytes: Int) -> SIMD4<Float> {
    let q1 = q0 + queryBytes, q2 = q1 + queryBytes, q3 = q2 + queryBytes
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var off = 0
    while off < bytes {
        let x = r0.load(fromByteOffset: off, as: SIMD8<Float>.self)
        a0.addProduct(x, q0.load(fromByteOffset: off, as: SIMD8<Float>.self))
        a1.addProduct(x, q1.load(fromByteOffset: off, as: SIMD8<Float>.self))
        a2.addProduct(x, q2.load(fromByteOffset: off, as: SIMD8<Float>.self))
        a3.addProduct(x, q3.load(fromByteOffset: off, as: SIMD8<Float>.self))
        off += 32
    }
    return hsum4(a0, a1, a2, a3)
}
