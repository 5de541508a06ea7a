import ChatbotErrors
import CUTF8Proc

/// Text normalisation for matching French questions.
///
/// Each character becomes: NFKC (ligatures ﬁ → fi, full-width Ａ → a, no-break spaces →
/// space), Unicode full case folding (É → é, ß → ss), default-ignorable code points
/// removed (soft hyphen, zero-width joiner), typographic apostrophes unified to `'` and
/// dashes to `-` (see `unifiedPunctuation`). Accents are kept: they are folded only after
/// stemming (`foldAccents`), because the Snowball stemmer's rules depend on them.
///
/// Normalisation works per character cluster (a code point plus its combining marks),
/// which is what lets every normalised byte point back to the original bytes it came
/// from. ASCII characters not followed by a combining mark never reach utf8proc.
public struct Normalizer: Sendable {
    public init() {}

    /// The normalised form of `text`.
    public func normalize(_ text: String) -> String {
        let n = withUTF8Bytes(text) { NormalizedText(validUTF8: $0, isASCII: isAllASCII($0)) }
        return String(decoding: n.bytes, as: UTF8.self)
    }

    /// The normalised form of raw bytes; throws `ChatbotError.invalidUTF8` on malformed input.
    public func normalize(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ChatbotError) -> String {
        let n = try NormalizedText(utf8: bytes)
        return String(decoding: n.bytes, as: UTF8.self)
    }
}

/// Normalised bytes plus, for each of them, the range of original bytes it came from.
struct NormalizedText {
    /// Normalised UTF-8 (always valid).
    var bytes: [UInt8]
    /// Per normalised byte: the original byte range of the cluster it came from.
    /// Empty when the mapping is the identity (pure ASCII input).
    var sourceSpans: [Range<Int>] = []

    init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ChatbotError) {
        switch UTF8Validation.scan(bytes) {
        case .invalid(let offset): throw .invalidUTF8(byteOffset: offset)
        case .valid(let ascii): self.init(validUTF8: bytes, isASCII: ascii)
        }
    }

    init(validUTF8 src: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        bytes = []
        guard let p = src.baseAddress, !src.isEmpty else { return }
        let n = src.count
        if isASCII {
            // Identity offsets: one output byte per input byte, no map needed.
            bytes = [UInt8](unsafeUninitializedCapacity: n) { out, count in
                for i in 0..<n { out[i] = normalizedASCII(p[i]) }
                count = n
            }
            return
        }
        // Written through raw pointers, grown by hand: per-byte Array appends (a uniqueness
        // and a capacity check each, twice per byte) were most of this loop's cost.
        var out = NormalizedWriter(capacity: n + n / 8 + 16)
        defer { out.deallocate() }
        var scratch: [Int32] = []
        var cluster: [UInt8] = []
        let table = LatinTable.shared  // read once: each global access costs a swift_once check
        var i = 0
        while i < n {
            if p[i] < 0x80 {
                // A run of ASCII bytes; its last byte stays behind when a combining mark
                // follows it (the two form one cluster).
                var k = i + 1
                while k < n && p[k] < 0x80 { k += 1 }
                if k < n && isMark(at: k, p, n) { k -= 1 }
                if k > i {
                    out.reserve(k - i)
                    for q in i..<k { out.appendUnchecked(normalizedASCII(p[q]), from: q..<q + 1) }
                    i = k
                    continue
                }
            }
            // A cluster: one code point and the combining marks that follow it, at most
            // `maxCombiningMarks` of them.
            var j = i + decodeScalar(p, i).length
            var marks = 0
            while j < n && marks < maxCombiningMarks && p[j] >= 0x80 && isMark(at: j, p, n) {
                j += decodeScalar(p, j).length
                marks += 1
            }
            if j - i == 2 {
                // Accented Latin letters: straight from the table into the output.
                out.reserve(table.maxNormalizedLength)
                table.withNormalized(p[i], p[i + 1]) { mapped in
                    for b in mapped { out.appendUnchecked(b, from: i..<j) }
                }
            } else {
                cluster.removeAll(keepingCapacity: true)
                UTF8Proc.append(UnsafeBufferPointer(start: p + i, count: j - i),
                                options: UTF8Proc.normalizeOptions, unifyPunctuation: true,
                                to: &cluster, scratch: &scratch)
                out.reserve(cluster.count)
                for b in cluster { out.appendUnchecked(b, from: i..<j) }
            }
            i = j
            // Marks beyond the cap are dropped: canonical reordering is quadratic in the
            // length of a run of marks (issue 13: 200 KB of alternating marks took 28 s).
            while i < n && p[i] >= 0x80 && isMark(at: i, p, n) { i += decodeScalar(p, i).length }
        }
        bytes = out.bytesArray()
        sourceSpans = out.spansArray()
    }

    var isIdentity: Bool { sourceSpans.isEmpty }

    /// Original byte range of the normalised byte range `r` (non-empty).
    func sourceRange(_ r: Range<Int>) -> Range<Int> {
        if isIdentity { return r }
        return sourceSpans[r.lowerBound].lowerBound..<sourceSpans[r.upperBound - 1].upperBound
    }
}

/// Most combining marks kept after one character: Unicode's stream-safe limit (UAX #15).
/// No language needs more; a longer run is an attack on normalisation time.
public let maxCombiningMarks = 30

@inline(__always)
private func isMark(at i: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let cp = decodeScalar(p, i).value
    if cp < 0x300 { return false }  // no combining marks below U+0300
    return CharClass.of(cp) == .mark
}

/// True when every byte is ASCII.
func isAllASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let n = bytes.count
    var i = 0
    var acc: UInt64 = 0
    while i + 8 <= n {
        acc |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        i += 8
    }
    while i < n { acc |= UInt64(base[i]); i += 1 }
    return acc & 0x8080_8080_8080_8080 == 0
}

/// ASCII normalisation: A–Z lowercased and the backtick read as an apostrophe
/// (the same as `unifiedPunctuation` for U+0060); all other bytes unchanged.
@inline(__always)
func normalizedASCII(_ b: UInt8) -> UInt8 {
    if b &- 0x41 < 26 { return b | 0x20 }
    return b == 0x60 ? 0x27 : b
}

/// Precomputed results for the two-byte code points (U+0080–U+07FF: Latin-1, Latin
/// Extended, Greek, Cyrillic…): French accented letters then cost a table lookup
/// instead of a utf8proc call. Built once, lazily, with the same utf8proc path.
final class LatinTable: Sendable {
    static let shared = LatinTable()

    private let normalizedBytes: [UInt8]
    private let normalizedOffsets: [Int32]  // 0x781 entries: range of cp - 0x80
    private let foldedBytes: [UInt8]
    private let foldedOffsets: [Int32]
    /// Longest folded form of one two-byte code point, in bytes (at least 1).
    let maxFoldedLength: Int
    /// Longest normalised form of one two-byte code point, in bytes.
    let maxNormalizedLength: Int

    private init() {
        var nb: [UInt8] = [], no: [Int32] = [0]
        var fb: [UInt8] = [], fo: [Int32] = [0]
        var scratch: [Int32] = []
        for cp in UInt32(0x80)..<0x800 {
            let enc: [UInt8] = [UInt8(0xC0 | (cp >> 6)), UInt8(0x80 | (cp & 0x3F))]
            enc.withUnsafeBufferPointer { e in
                UTF8Proc.append(e, options: UTF8Proc.normalizeOptions, unifyPunctuation: true,
                                to: &nb, scratch: &scratch)
                if let special = foldSpecial(cp) {
                    fb.append(contentsOf: special.utf8)
                } else {
                    UTF8Proc.append(e, options: UTF8Proc.foldOptions, unifyPunctuation: false,
                                    to: &fb, scratch: &scratch)
                }
            }
            no.append(Int32(nb.count))
            fo.append(Int32(fb.count))
        }
        normalizedBytes = nb; normalizedOffsets = no
        foldedBytes = fb; foldedOffsets = fo
        maxFoldedLength = max(1, zip(fo.dropFirst(), fo).map { Int($0 - $1) }.max() ?? 1)
        maxNormalizedLength = max(1, zip(no.dropFirst(), no).map { Int($0 - $1) }.max() ?? 1)
    }

    /// Calls `body` with the normalised bytes of the two-byte sequence `b0 b1` (valid
    /// UTF-8), without the ArraySlice (and its retain/release) of `normalized`.
    @inline(__always)
    func withNormalized<R>(_ b0: UInt8, _ b1: UInt8, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let k = (Int(b0 & 0x1F) << 6 | Int(b1 & 0x3F)) - 0x80
        return normalizedOffsets.withUnsafeBufferPointer { offsets in
            let lo = Int(offsets[k]), hi = Int(offsets[k + 1])
            return normalizedBytes.withUnsafeBufferPointer { nb in
                body(UnsafeBufferPointer(rebasing: nb[lo..<hi]))
            }
        }
    }

    /// Writes the accent-folded bytes of `cp` (U+0080–U+07FF) to `out` (room for
    /// `maxFoldedLength` bytes); returns how many.
    @inline(__always)
    func copyFolded(_ cp: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let k = Int(cp) - 0x80
        return foldedOffsets.withUnsafeBufferPointer { offsets in
            let lo = Int(offsets[k]), hi = Int(offsets[k + 1])
            foldedBytes.withUnsafeBufferPointer { fb in
                for m in lo..<hi { out[m - lo] = fb[m] }
            }
            return hi - lo
        }
    }

    /// Accent-folded bytes of the code point `cp` in U+0080–U+07FF.
    @inline(__always)
    func folded(_ cp: UInt32) -> ArraySlice<UInt8> {
        let k = Int(cp) - 0x80
        return foldedBytes[Int(foldedOffsets[k])..<Int(foldedOffsets[k + 1])]
    }
}

/// Output of the non-ASCII normalisation path: bytes and their source spans in two raw
/// buffers that grow together.
private struct NormalizedWriter {
    var bytes: UnsafeMutablePointer<UInt8>
    var spans: UnsafeMutablePointer<Range<Int>>
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
        spans = .allocate(capacity: capacity)
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: max(2 * capacity, count + extra)) }
    }

    mutating func grow(to newCapacity: Int) {
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        b.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = b
        let s = UnsafeMutablePointer<Range<Int>>.allocate(capacity: newCapacity)
        s.moveInitialize(from: spans, count: count)
        spans.deallocate()
        spans = s
        capacity = newCapacity
    }

    /// Appends one byte; `reserve` must have made room for it.
    @inline(__always)
    mutating func appendUnchecked(_ b: UInt8, from span: Range<Int>) {
        bytes[count] = b
        (spans + count).initialize(to: span)
        count += 1
    }

    func bytesArray() -> [UInt8] { Array(UnsafeBufferPointer(start: bytes, count: count)) }
    func spansArray() -> [Range<Int>] { Array(UnsafeBufferPointer(start: spans, count: count)) }

    func deallocate() {
        bytes.deallocate()
        spans.deallocate()  // Range<Int> is trivial: nothing to deinitialize
    }
}
