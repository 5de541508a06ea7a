import ChatbotErrors
/// Static word vectors: one vector and one frequency per word, distilled from a sentence
/// embedding model (`scripts/distill_word_vectors.py` embeds each word of a French
/// frequency list with multilingual-e5-small, then reduces the dimension). They bring
/// knowledge from beyond the knowledge base with no neural network at question time: a
/// question's vector is the weighted mean of its words' vectors (`TermVectorTable`).
///
/// The `.cbwv` file, little-endian:
///
///     offset  size
///          0     4  magic "CBWV"
///          4     4  version (1)
///          8     4  word count
///         12     4  dimension
///         16     4  flags (0)
///         20        per word: UInt16 byte length, the UTF-8 word, Float32 relative
///                   frequency (0 < f ≤ 1), then `dimension` Float16 values
public struct WordVectors: Sendable, Equatable {
    public let dimension: Int
    public let words: [String]
    /// Relative frequency of each word in running text.
    public let frequencies: [Float]
    /// `words.count × dimension`, row-major.
    public let vectors: [Float]

    public var count: Int { words.count }

    static let magic: [UInt8] = Array("CBWV".utf8)
    static let version: UInt32 = 1
    public static let maxDimension = 1024
    public static let maxWords = 1_000_000
    static let headerSize = 20

    /// Vectors given directly (tests, or a host that distils its own).
    public init(words: [String], frequencies: [Float], vectors: [[Float]]) throws(ChatbotError) {
        guard let first = vectors.first else { throw .invalidArgument("word vectors: no word") }
        guard words.count == frequencies.count, words.count == vectors.count else {
            throw .invalidArgument("word vectors: \(words.count) words, \(frequencies.count) frequencies and \(vectors.count) vectors")
        }
        let dimension = first.count
        guard (1...Self.maxDimension).contains(dimension) else {
            throw .invalidArgument("word vectors: dimension \(dimension) is outside 1...\(Self.maxDimension)")
        }
        var flat: [Float] = []
        flat.reserveCapacity(words.count * dimension)
        for (i, v) in vectors.enumerated() {
            guard v.count == dimension else {
                throw .invalidArgument("word vectors: '\(words[i])' has \(v.count) values, the first word has \(dimension)")
            }
            flat += v
        }
        try self.init(dimension: dimension, words: words, frequencies: frequencies, vectors: flat)
    }

    private init(dimension: Int, words: [String], frequencies: [Float], vectors: [Float]) throws(ChatbotError) {
        guard words.count <= Self.maxWords else { throw .invalidArgument("word vectors: more than \(Self.maxWords) words") }
        for (i, w) in words.enumerated() {
            guard !w.isEmpty, w.utf8.count <= Int(UInt16.max) else { throw .invalidArgument("word vectors: word \(i + 1) is empty or too long") }
            let f = frequencies[i]
            guard f.isFinite, f > 0, f <= 1 else {
                throw .invalidArgument("word vectors: '\(w)' has frequency \(f), expected 0 < f ≤ 1")
            }
        }
        guard vectors.allSatisfy(\.isFinite) else { throw .invalidArgument("word vectors: a value is not finite") }
        self.dimension = dimension
        self.words = words
        self.frequencies = frequencies
        self.vectors = vectors
    }

    /// Parses a `.cbwv` file's bytes; `name` names it in errors.
    public init(cbwv bytes: [UInt8], name: String = "word vectors") throws(ChatbotError) {
        func fail(_ m: String) -> ChatbotError { .invalidArgument("\(name): \(m)") }
        guard bytes.count >= Self.headerSize, Array(bytes[0..<4]) == Self.magic else {
            throw fail("not a word-vector file (expected the CBWV header of scripts/distill_word_vectors.py)")
        }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        let version = u32(4), count = Int(u32(8)), dimension = Int(u32(12)), flags = u32(16)
        guard version == Self.version else { throw fail("version \(version) is not supported (this library reads version \(Self.version))") }
        guard flags == 0 else { throw fail("unknown flags \(flags)") }
        guard (1...Self.maxWords).contains(count) else { throw fail("word count \(count) is outside 1...\(Self.maxWords)") }
        guard (1...Self.maxDimension).contains(dimension) else { throw fail("dimension \(dimension) is outside 1...\(Self.maxDimension)") }
        // Every entry takes at least 2 + 1 + 4 + 2·dimension bytes: a count the file cannot
        // hold is refused before anything is allocated for it.
        guard count <= (bytes.count - Self.headerSize) / (7 + 2 * dimension) else {
            throw fail("file is truncated: \(count) words of dimension \(dimension) cannot fit in \(bytes.count) bytes")
        }
        var words: [String] = [], frequencies: [Float] = [], vectors: [Float] = []
        words.reserveCapacity(count)
        frequencies.reserveCapacity(count)
        vectors.reserveCapacity(count * dimension)
        var at = Self.headerSize
        for i in 0..<count {
            guard at + 2 <= bytes.count else { throw fail("file is truncated at word \(i + 1)") }
            let length = Int(bytes[at]) | Int(bytes[at + 1]) << 8
            at += 2
            guard length > 0, at + length + 4 + 2 * dimension <= bytes.count else { throw fail("file is truncated at word \(i + 1)") }
            guard let word = String(validating: bytes[at..<(at + length)], as: UTF8.self) else {
                throw fail("word \(i + 1) is not valid UTF-8")
            }
            at += length
            frequencies.append(Float(bitPattern: u32(at)))
            at += 4
            for d in 0..<dimension {
                let bits = UInt16(bytes[at + 2 * d]) | UInt16(bytes[at + 2 * d + 1]) << 8
                vectors.append(Float(Float16(bitPattern: bits)))
            }
            at += 2 * dimension
            words.append(word)
        }
        guard at == bytes.count else { throw fail("\(bytes.count - at) unexpected trailing bytes") }
        do {
            try self.init(dimension: dimension, words: words, frequencies: frequencies, vectors: vectors)
        } catch {
            throw fail("\(error)".replacingPrefix("word vectors: "))
        }
    }

    /// A 64-bit FNV-1a digest of the words, frequencies and vectors, in hexadecimal: an index
    /// stores it, so that a warm start can tell whether the word vectors changed.
    public var digest: String {
        var h = FeatureHash.offsetBasis
        func add(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { h = FeatureHash.add(h, UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        add(UInt32(dimension))
        for (i, w) in words.enumerated() {
            for b in w.utf8 { h = FeatureHash.add(h, b) }
            h = FeatureHash.add(h, 0)
            add(frequencies[i].bitPattern)
        }
        for x in vectors { add(x.bitPattern) }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The `.cbwv` bytes of these vectors (Float16 values).
    public var cbwvBytes: [UInt8] {
        var out = Self.magic
        func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        u32(Self.version)
        u32(UInt32(count))
        u32(UInt32(dimension))
        u32(0)
        for (i, w) in words.enumerated() {
            let utf8 = Array(w.utf8)
            out.append(UInt8(truncatingIfNeeded: utf8.count))
            out.append(UInt8(truncatingIfNeeded: utf8.count >> 8))
            out += utf8
            u32(frequencies[i].bitPattern)
            for d in 0..<dimension {
                let bits = Float16(vectors[i * dimension + d]).bitPattern
                out.append(UInt8(truncatingIfNeeded: bits))
                out.append(UInt8(truncatingIfNeeded: bits >> 8))
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
