/// Layout of a compiled index file (all integers little-endian).
///
/// ```
/// offset size  field
///      0    8  magic "CBINDEX\0"
///      8    4  format version (this library writes `IndexFormat.version`)
///     12    4  header size (64)
///     16   16  engine version that wrote the file, ASCII, NUL-padded
///     32    8  file size in bytes
///     40    8  checksum of bytes [64, file size) (see `Checksum`)
///     48    4  section count
///     52    4  reserved (zero)
///     56    8  header checksum: `headerChecksum` of bytes [0, 56), which include the body's
///              checksum, so every byte of the file is covered. Zero in files written before
///              libchatbot 0.9, whose header is then checked field by field only.
///     64  24×n section table: tag (4 ASCII bytes), element size u32, offset u64, element count u64
///      …       sections in table order, each starting on a 64-byte boundary after the table
///              so that the file can be read in place as typed arrays; zero padding between
/// ```
///
/// The header checksum lives in bytes that every earlier reader ignored, so older libraries
/// still read new files of a version they know; no format version was spent on it.
enum IndexFormat {
    static let magic: [UInt8] = Array("CBINDEX".utf8) + [0]
    /// Version 1: lexical TF-IDF index. Version 2 adds the optional learned item model
    /// (`LROW`, `LWGT`, `LBIA`, `LCAL`); a version-1 file is read as an index without it.
    /// Version 3 adds `LEMB`, the model's embedding rows: a version-2 reader would ignore
    /// them and score silently worse, so the version changes. Older files stay readable.
    /// Version 4 adds structured answers (`MSGB`, `MSGO`) and the items without questions
    /// (`XITM`); older files read their plain answer as one text message.
    /// Version 5 adds static word vectors (`WVKY`, `WVWT`, `WVEC`), from which the engine
    /// computes each question's embedding itself: a version-4 reader would ignore them and
    /// then refuse every question for want of a query vector. An index without word vectors
    /// is still written as version 4, so that older libraries keep reading it.
    /// Version 6 adds the posting skip tables (`PSKO`, `PSKP`; see `PostingSkips`), written
    /// for bases of 2,000 questions or more. A version-5 reader would refuse their unknown
    /// tags, and say so less clearly than by version. Smaller bases are still written as
    /// version 4 (or 5, with word vectors).
    /// Version 7 adds the feature counts (`FBLK`, `FCNP`, `FCNC`; see `FeatureCounts`), written
    /// with the skip tables: what `build --update` needs to reuse the previous analysis of
    /// every unchanged question. A version-6 reader would ignore them harmlessly, but would
    /// also keep them out of the files it writes; the version says what a file holds.
    /// Readers refuse newer versions by name.
    static let version: UInt32 = 7
    /// The version that introduced word vectors, the newest an index without skip tables needs.
    static let versionWithWordVectors: UInt32 = 5
    /// The newest version an index without word vectors or skip tables needs.
    static let versionWithoutWordVectors: UInt32 = 4
    static let headerSize = 64

    /// The vocabulary table's first probe for a feature hash (linear probing follows); `mask`
    /// is the table's power-of-two size minus one. Part of the format: writer and reader
    /// must agree on it.
    @inline(__always)
    static func vocabularySlot(_ hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    }
    /// The value of a vocabulary slot that holds no feature.
    static let emptyVocabularySlot = UInt32.max
    /// The slot of a vocabulary table (power-of-two size, never full) that holds `hash`, or
    /// else the empty slot where its probe stops: where a lookup ends, and where a new hash
    /// goes. The reader, the builder and the builder's growing table all probe through it.
    @inline(__always)
    static func vocabularyProbe<Keys: RandomAccessCollection<UInt64>, Values: RandomAccessCollection<UInt32>>(
        _ hash: UInt64, keys: Keys, values: Values) -> Int where Keys.Index == Int, Values.Index == Int {
        let mask = keys.count - 1
        var slot = vocabularySlot(hash, mask: mask)
        while values[slot] != emptyVocabularySlot && keys[slot] != hash { slot = (slot + 1) & mask }
        return slot
    }
    static let sectionEntrySize = 24
    static let alignment = 64
    /// Where the header checksum is stored, and the header bytes it covers.
    static let headerChecksumOffset = 56

    /// The header checksum of bytes [0, 56). Never zero and never a single bit, so that one
    /// flipped bit cannot turn a protected file into one that looks older than the checksum.
    static func headerChecksum(_ header: UnsafeRawBufferPointer) -> UInt64 {
        let h = Checksum.compute(UnsafeRawBufferPointer(rebasing: header[0..<headerChecksumOffset]))
        return h.nonzeroBitCount < 2 ? ~h : h
    }

    /// The format version that introduced each section; a file of an older version that
    /// carries the section is refused, since a reader of that version would ignore it and
    /// answer differently from the library that wrote it.
    static func versionIntroducing(_ tag: SectionTag) -> UInt32? {
        switch tag {
        case .meta, .stringBytes, .stringOffsets, .items, .questionItems, .vocabularyKeys, .vocabularyValues,
             .idf, .postingOffsets, .postingRows, .postingWeights, .questionOffsets, .questionFeatures,
             .questionWeights, .synonyms, .embeddings, .embeddingMask:
            return 1
        case .learnedRows, .learnedWeights, .learnedBias, .calibration: return 2
        case .learnedEmbeddingRow: return 3
        case .messageBytes, .messageOffsets, .messageOnlyItems: return 4
        case .wordVectorKeys, .wordVectorWeights, .wordVectors: return 5
        case .postingSkipOffsets, .postingSkips: return 6
        case .featureBlocks, .repeatedFeaturePositions, .repeatedFeatureCounts: return 7
        default: return nil
        }
    }
}

/// A section tag: four ASCII characters packed little-endian.
struct SectionTag: Hashable, CustomStringConvertible {
    let rawValue: UInt32

    init(_ name: StaticString) {
        precondition(name.utf8CodeUnitCount == 4)
        let p = name.utf8Start
        rawValue = UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    init(rawValue: UInt32) { self.rawValue = rawValue }

    var description: String {
        String(decoding: (0..<4).map { UInt8(truncatingIfNeeded: rawValue >> (8 * $0)) }, as: UTF8.self)
    }

    /// Settings as `key=value` lines.
    static let meta = SectionTag("META")
    /// Concatenated UTF-8 strings, and their `count + 1` start offsets.
    static let stringBytes = SectionTag("STRB")
    static let stringOffsets = SectionTag("STRO")
    /// Per item: first question, question count, flags, expiry day.
    static let items = SectionTag("ITEM")
    /// Per question: the item it belongs to.
    static let questionItems = SectionTag("QITM")
    /// Vocabulary: open-addressing hash table of feature hashes → feature ids.
    static let vocabularyKeys = SectionTag("VKEY")
    static let vocabularyValues = SectionTag("VVAL")
    /// Per feature: inverse document frequency.
    static let idf = SectionTag("IDF ")
    /// Inverted index: per feature, the questions that contain it and their weights.
    static let postingOffsets = SectionTag("POFF")
    static let postingRows = SectionTag("PROW")
    static let postingWeights = SectionTag("PWGT")
    /// Version 6: per feature, where its skip table starts in `PSKP` (features + 1 entries),
    /// and the tables: for each posting list at least as long as the item count, where each
    /// item's run starts in it, relative to the list (items + 1 entries). See `PostingSkips`.
    static let postingSkipOffsets = SectionTag("PSKO")
    static let postingSkips = SectionTag("PSKP")
    /// Version 7: per feature, its `FeatureBlock`; the posting positions whose question holds
    /// the feature more than once, increasing, and those counts. See `FeatureCounts`.
    static let featureBlocks = SectionTag("FBLK")
    static let repeatedFeaturePositions = SectionTag("FCNP")
    static let repeatedFeatureCounts = SectionTag("FCNC")
    /// Question vectors (CSR), once the unit TF-IDF vector of every question. No reader ever
    /// used them (matching reads the posting lists; the learner gets the vectors in memory),
    /// yet they were 22% of a 10,000-question file and 39% of a 100,000-question one. They
    /// are now written empty, without a new format version: `QOFF` holds questions + 1 zeros
    /// and `QFID`/`QWGT` nothing, the shape that readers before this change check, so they
    /// still open new files. Readers ignore all three.
    static let questionOffsets = SectionTag("QOFF")
    static let questionFeatures = SectionTag("QFID")
    static let questionWeights = SectionTag("QWGT")
    /// Synonym groups, one per line, entries separated by `;`.
    static let synonyms = SectionTag("SYNO")
    /// External embeddings: questions × dim float32 unit rows, and a presence mask.
    static let embeddings = SectionTag("EMBD")
    static let embeddingMask = SectionTag("EMSK")
    /// Learned item model (version 2): per feature, its row of the weight matrix or `UInt32.max`.
    static let learnedRows = SectionTag("LROW")
    /// Feature-major float32 weights, rows × stride (stride = item count rounded up to 8).
    static let learnedWeights = SectionTag("LWGT")
    /// Per-item bias, `stride` floats (zero padding).
    static let learnedBias = SectionTag("LBIA")
    /// Calibrator coefficients (`Calibrator.featureCount` floats).
    static let calibration = SectionTag("LCAL")
    /// Version 3, when the model uses question embeddings: one UInt32, the first row of
    /// `LWGT` that belongs to an embedding dimension (the block runs to the matrix's end).
    static let learnedEmbeddingRow = SectionTag("LEMB")
    /// Version 4: per matchable item, its messages (see `MessageCoding`), and their
    /// `items + 1` start offsets.
    static let messageBytes = SectionTag("MSGB")
    static let messageOffsets = SectionTag("MSGO")
    /// Version 4: the items without questions (welcome message, button targets), encoded
    /// with their messages; never matched.
    static let messageOnlyItems = SectionTag("XITM")
    /// Version 5: static word vectors keyed by term (`TermVectorTable`): the term hashes,
    /// strictly increasing; one SIF weight per term; one unit Float16 vector per term
    /// (`EMBD`'s dimension).
    static let wordVectorKeys = SectionTag("WVKY")
    static let wordVectorWeights = SectionTag("WVWT")
    static let wordVectors = SectionTag("WVEC")
}

/// Fixed-size record of one item in the `ITEM` section.
struct ItemRecord {
    var firstQuestion: UInt32
    var questionCount: UInt32
    var flags: UInt32
    /// Days since 1970-01-01 of the last day the item may be returned; `Int32.max` = never.
    var expiryDay: Int32

    static let hiddenFlag: UInt32 = 1
}
