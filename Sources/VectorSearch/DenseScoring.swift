/// Inner products of one query with every row of a row-major float32 matrix that this
/// module does not own (for example a memory-mapped index section): rows need no padding
/// or alignment, and every score is returned, not just the top k.
///
/// - Parameters:
///   - query: `dim` floats.
///   - rows: `rowCount × dim` floats, row-major.
///   - out: `rowCount` floats, written.
///
/// Same kernel shape as `VectorMatrix`'s scan (4 × `SIMD8<Float>` accumulators, halving
/// sum once per row), with unaligned loads and a scalar tail for the last `dim % 8` values.
public func innerProducts(query: UnsafePointer<Float>, rows: UnsafePointer<Float>, rowCount: Int, dim: Int,
                          into out: UnsafeMutablePointer<Float>) {
    let q = UnsafeRawPointer(query)
    let vectorBytes = (dim / 8) * 32
    for r in 0..<rowCount {
        let rowStart = rows + r * dim
        let row = UnsafeRawPointer(rowStart)
        var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>(), d = SIMD8<Float>()
        var off = 0
        while off + 128 <= vectorBytes {
            a.addProduct(q.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self),
                         row.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self))
            b.addProduct(q.loadUnaligned(fromByteOffset: off + 32, as: SIMD8<Float>.self),
                         row.loadUnaligned(fromByteOffset: off + 32, as: SIMD8<Float>.self))
            c.addProduct(q.loadUnaligned(fromByteOffset: off + 64, as: SIMD8<Float>.self),
                         row.loadUnaligned(fromByteOffset: off + 64, as: SIMD8<Float>.self))
            d.addProduct(q.loadUnaligned(fromByteOffset: off + 96, as: SIMD8<Float>.self),
                         row.loadUnaligned(fromByteOffset: off + 96, as: SIMD8<Float>.self))
            off += 128
        }
        while off < vectorBytes {
            a.addProduct(q.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self),
                         row.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self))
            off += 32
        }
        var s = hsum((a + b) + (c + d))
        var i = off / 4
        while i < dim {
            s += query[i] * rowStart[i]
            i += 1
        }
        out[r] = s
    }
}
