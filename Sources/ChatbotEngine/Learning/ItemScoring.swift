#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SIMD kernels shared by training and matching: the learned matrix is feature-major,
/// `W[row][0..<stride]` with `stride` = item count rounded up to 8, so a sparse question
/// adds `x_f · W[f]` to the item logits as contiguous `SIMD8<Float>` axpys.
enum ItemScoring {
    /// Items rounded up to a whole number of `SIMD8` lanes.
    static func stride(itemCount: Int) -> Int { (itemCount + 7) / 8 * 8 }

    /// `logits = bias + Σ value_k · W[row_k]`. Rows are trusted (validated at open or built here).
    @inline(__always)
    static func logits(rows: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Float>,
                       matrix: UnsafePointer<Float>, bias: UnsafePointer<Float>, stride: Int,
                       into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        let b = UnsafeRawPointer(bias)
        var c = 0
        while c < stride {
            raw.storeBytes(of: b.loadUnaligned(fromByteOffset: c * 4, as: SIMD8<Float>.self), toByteOffset: c * 4, as: SIMD8<Float>.self)
            c += 8
        }
        for k in 0..<rows.count {
            axpy(values[k], UnsafeRawPointer(matrix + Int(rows[k]) * stride), raw, count: stride)
        }
    }

    /// `y += a · x` over `count` floats (a multiple of 8), unaligned loads.
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafeRawPointer, _ y: UnsafeMutableRawPointer, count: Int) {
        let av = SIMD8<Float>(repeating: a)
        var c = 0
        while c + 32 <= count {
            for u in 0..<4 {
                let o = (c + 8 * u) * 4
                let s = y.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + av * x.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                y.storeBytes(of: s, toByteOffset: o, as: SIMD8<Float>.self)
            }
            c += 32
        }
        while c < count {
            let o = c * 4
            let s = y.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + av * x.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            y.storeBytes(of: s, toByteOffset: o, as: SIMD8<Float>.self)
            c += 8
        }
    }

    /// Log-softmax normaliser of the first `count` logits (the padding is ignored).
    static func logSumExp(_ logits: UnsafePointer<Float>, count: Int) -> Float {
        var m = -Float.infinity
        for i in 0..<count where logits[i] > m { m = logits[i] }
        guard m.isFinite else { return m }
        var s: Float = 0
        for i in 0..<count { s += expf(logits[i] - m) }
        return m + logf(s)
    }
}
