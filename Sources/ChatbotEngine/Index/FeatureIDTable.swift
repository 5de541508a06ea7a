/// Feature hash → feature id while an index is built.
///
/// Open addressing with linear probing, probed like the index's own vocabulary table
/// (`IndexFormat.vocabularyProbe`): feature hashes are already well mixed, and Swift's
/// `Dictionary` hashed them again with SipHash on each of the build's two lookups per
/// feature occurrence (20 million at 100,000 questions), which cost more than the rest of
/// building the vocabulary and the vectors. Kept at most half full, so probes stay short.
struct FeatureIDTable {
    private var keys = [UInt64](repeating: 0, count: 1024)
    private var values = [UInt32](repeating: IndexFormat.emptyVocabularySlot, count: 1024)
    private(set) var count = 0

    /// The id of `hash`, or nil when it has none.
    subscript(hash: UInt64) -> UInt32? {
        let v = values[IndexFormat.vocabularyProbe(hash, keys: keys, values: values)]
        return v == IndexFormat.emptyVocabularySlot ? nil : v
    }

    /// The id of `hash`; a hash seen for the first time gets the next id (`count` before
    /// the call). `isNew` says which happened.
    mutating func id(of hash: UInt64) -> (id: UInt32, isNew: Bool) {
        var slot = IndexFormat.vocabularyProbe(hash, keys: keys, values: values)
        if values[slot] != IndexFormat.emptyVocabularySlot { return (values[slot], false) }
        if 2 * (count + 1) > keys.count {
            grow()
            slot = IndexFormat.vocabularyProbe(hash, keys: keys, values: values)
        }
        let id = UInt32(count)
        keys[slot] = hash
        values[slot] = id
        count += 1
        return (id, true)
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: 2 * oldKeys.count)
        values = [UInt32](repeating: IndexFormat.emptyVocabularySlot, count: 2 * oldKeys.count)
        for (k, v) in zip(oldKeys, oldValues) where v != IndexFormat.emptyVocabularySlot {
            let slot = IndexFormat.vocabularyProbe(k, keys: keys, values: values)
            keys[slot] = k
            values[slot] = v
        }
    }
}
