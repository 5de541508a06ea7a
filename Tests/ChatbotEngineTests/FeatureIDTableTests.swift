import Testing
@testable import ChatbotEngine

/// The builder's hash → id table: ids in order of first appearance, as the `Dictionary` it
/// replaced gave them, through growth and probe collisions.
@Suite struct FeatureIDTableTests {
    @Test func idsFollowFirstAppearanceThroughGrowthAndCollisions() {
        var table = FeatureIDTable()
        var reference: [UInt64: UInt32] = [:]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 33)
        }
        // Random hashes, repeats, and hashes built to share a first probe (same low bits
        // after the slot's mixing: they differ only above bit 40) and zero, the empty key.
        var hashes: [UInt64] = [0]
        for i in 0..<20_000 {
            let h = next()
            hashes.append(h)
            if i % 7 == 0 { hashes.append(h) }
            if i % 11 == 0 { hashes.append(h ^ (UInt64(i) << 41)) }
        }
        for h in hashes {
            let expected = reference[h] ?? UInt32(reference.count)
            let isNew = reference[h] == nil
            reference[h] = expected
            let got = table.id(of: h)
            #expect(got.id == expected && got.isNew == isNew, "hash \(h)")
        }
        #expect(table.count == reference.count)
        for (h, id) in reference { #expect(table[h] == id) }
        for _ in 0..<1_000 {
            let h = next()
            #expect(table[h] == reference[h])
        }
    }

    @Test func anEmptyTableHasNoIDs() {
        let table = FeatureIDTable()
        #expect(table.count == 0)
        #expect(table[0] == nil && table[42] == nil && table[.max] == nil)
    }
}
