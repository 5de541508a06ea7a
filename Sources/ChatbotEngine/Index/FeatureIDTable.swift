/// Feature hash → feature id while an index is built.
///
/// Open addressing with linear probing, probed like the index's own vocabulary table
/// (`IndexFormat.vocabularySlot`): feature hashes are already well mixed, and Swift's
/// `Dictionary` hashed them again with SipHash on each of the build's two lookups per
/// feature occurrence (20 million at 100,000 questions), which cost more than the rest of
/// building the vocabulary and the vectors. Kept at most half full, so probes stay short.
struct FeatureIDTable {
    private var keys: [UInt64]
    private var values: [UInt32]
    private(set) var count = 0

    private static let empty = UInt32.max

    init() {
        keys = [UInt64](repeating: 0, count: 1024)
        values = [UInt32](repeating: Self.empty, count: 1024)
    }

    /// The id of `hash`, or nil when it has none.
    subscript(hash: UInt64) -> UInt32? {
        let mask = keys.count - 1
        var slot = IndexFormat.vocabularySlot(hash, mask: mask)
        while true {
            let v = values[slot]
            if v == Self.empty { return nil }
            if keys[slot] == hash { return v }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `hash`; a hash seen for the first time gets the next id (`count` before
    /// the call). `isNew` says which happened.
    mutating func id(of hash: UInt64) -> (id: UInt32, isNew: Bool) {
        var mask = keys.count - 1
        var slot = IndexFormat.vocabularySlot(hash, mask: mask)
        while true {
            let v = values[slot]
            if v == Self.empty { break }
            if keys[slot] == hash { return (v, false) }
            slot = (slot + 1) & mask
        }
        if 2 * (count + 1) > keys.count {
            grow()
            mask = keys.count - 1
            slot = IndexFormat.vocabularySlot(hash, mask: mask)
            while values[slot] != Self.empty { slot = (slot + 1) & mask }
        }
        let id = UInt32(count)
        keys[slot] = hash
        values[slot] = id
        count += 1
        return (id, true)
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let capacity = 2 * keys.count, mask = capacity - 1
        keys = [UInt64](repeating: 0, count: capacity)
        values = [UInt32](repeating: Self.empty, count: capacity)
        for (k, v) in zip(oldKeys, oldValues) where v != Self.empty {
            var slot = IndexFormat.vocabularySlot(k, mask: mask)
            while values[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = k
            values[slot] = v
        }
    }
}
