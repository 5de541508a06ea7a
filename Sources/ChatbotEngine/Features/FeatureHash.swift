/// 64-bit FNV-1a hashes that name sparse features without allocating strings.
///
/// Features are identified by the hash of (block tag, bytes). At 64 bits the chance of
/// a collision inside one knowledge base (~10^5 features) is about 10^-10, so the
/// vocabulary stores hashes, not strings.
enum FeatureHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always)
    static func start(_ block: FeatureBlock) -> UInt64 {
        (offsetBasis ^ UInt64(block.rawValue)) &* prime
    }

    @inline(__always)
    static func add(_ h: UInt64, _ byte: UInt8) -> UInt64 {
        (h ^ UInt64(byte)) &* prime
    }

    static func hash(_ block: FeatureBlock, _ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = start(block)
        for b in bytes { h = add(h, b) }
        return h
    }
}

/// The families of features. Each block is L2-normalised on its own before the blocks
/// are combined, so that many character n-grams cannot drown a few word terms.
enum FeatureBlock: UInt8, Sendable, CaseIterable {
    /// Analysed terms: stems after stop-word removal, accent folding and synonyms.
    case word = 1
    /// Character n-grams of the normalised, accent-folded words, for typo tolerance.
    case charNGram = 2
    /// Pairs of consecutive word terms.
    case wordBigram = 3
}
