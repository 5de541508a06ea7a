/// An immutable set of UTF-8 strings looked up by raw bytes.
///
/// The analyser checks every token against the stop words; `Set<String>.contains` pays
/// for SipHash and Unicode-aware String comparison, while token bytes are already
/// normalised, so a byte-exact open-addressing table with FNV-1a is enough and cheaper.
struct ByteStringSet: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int32] = [0]
    /// Power-of-two table of entry index + 1 (0 = empty slot), at most 1/4 full.
    private var slots: [Int32]
    /// Longest entry in bytes: most tokens are longer than any stop word and are rejected
    /// before hashing.
    private var maxLength = 0

    init(_ words: some Sequence<String>) {
        let unique = Array(Set(words))
        var capacity = 16
        while capacity < unique.count * 4 { capacity *= 2 }
        slots = [Int32](repeating: 0, count: capacity)
        for (k, w) in unique.enumerated() {
            bytes.append(contentsOf: w.utf8)
            maxLength = max(maxLength, w.utf8.count)
            starts.append(Int32(bytes.count))
            var slot = Self.hash(Array(w.utf8)) & (capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(k + 1)
        }
    }

    @inline(__always)
    static func hash<C: Collection>(_ w: C) -> Int where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in w { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    func contains(_ w: UnsafeBufferPointer<UInt8>) -> Bool {
        if w.isEmpty { return containsEmpty }
        guard w.count <= maxLength, let wp = w.baseAddress else { return false }
        let mask = slots.count - 1
        var slot = Self.hash(w) & mask
        return slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBufferPointer { bytes in
                    while true {
                        let e = Int(slots[slot])
                        if e == 0 { return false }
                        let lo = Int(starts[e - 1]), hi = Int(starts[e])
                        if hi - lo == w.count && memoryEqual(bytes.baseAddress! + lo, wp, w.count) {
                            return true
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Whether "" is an entry (an empty buffer may have no base address to compare).
    private var containsEmpty: Bool {
        var slot = Self.hash(EmptyCollection<UInt8>()) & (slots.count - 1)
        while true {
            let e = Int(slots[slot])
            if e == 0 { return false }
            if starts[e - 1] == starts[e] { return true }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    func contains(_ word: String) -> Bool {
        var w = word
        return w.withUTF8 { contains($0) }
    }
}
