/// A zero-filled, 64-byte-aligned heap block: one cache line per row start, and every
/// SIMD load in the kernels is aligned.
final class AlignedStorage: @unchecked Sendable {
    static let alignment = 64
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        // Allocate at least one line so the pointer is always valid, even for 0 rows.
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, Self.alignment),
                                                   alignment: Self.alignment)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, Self.alignment))
    }

    deinit { pointer.deallocate() }
}

/// Rounds `n` up to a multiple of `m` (m > 0).
@inline(__always)
func roundUp(_ n: Int, to m: Int) -> Int { (n + m - 1) / m * m }
