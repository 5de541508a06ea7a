import ChatbotErrors
/// The Snowball French stemmer (algorithm of Snowball 3.0.0–3.1.1, output identical to
/// Snowball 3.1.1).
///
/// This is the 3.0 algorithm: it also strips a leading elision (`l'avion` → `avion`),
/// handles `-oux` plurals (`bijoux` → `bijou`), `-ais`/`-aise` adjectives and verb forms
/// (`française` → `franc`, but `mauvaise` → `mauvais`), and the `ni`+vowel start of RV.
///
/// Input is expected lower case, as the analyser produces it; any other input is stemmed by
/// the same rules without error (upper-case `I`, `U`, `Y`, `H` are the algorithm's internal
/// markers and are read as such, exactly as Snowball does). Only the ASCII apostrophe `'`
/// marks an elision: normalise `’` first.
///
/// Three entry points share one implementation:
/// - ``stem(_:)`` for `String`s;
/// - ``stem(scalars:)`` rewrites an array of scalars in place, with no allocation once the
///   array has grown to twice the word's length (keep one array and reuse it);
/// - ``stem(utf8:appendingTo:)`` reads UTF-8 bytes and appends the stem's UTF-8, for callers
///   that tokenise bytes and want no `String` per token.
public struct FrenchStemmer: Sendable {
    public init() {}

    /// Stems one lowercase word; returns it unchanged when no rule applies.
    public func stem(_ word: String) -> String {
        var word = word
        let stem = word.withUTF8 { utf8 -> String? in
            withStem(ofValidUTF8: utf8) { stem -> String? in
                // Most short words are their own stem: share the input's storage.
                if stem.count == utf8.count && (stem.isEmpty || memoryEqual(stem.baseAddress!, utf8.baseAddress!, stem.count)) {
                    return nil
                }
                return makeString(stem)
            }
        }
        return stem ?? word
    }

    /// Calls `body` with the UTF-8 stem of `utf8` (valid UTF-8, as a String's bytes are),
    /// held in stack memory: the analyser builds `stem` and `term` from it without an
    /// intermediate String or heap buffer.
    @inline(__always)
    func withStem<R>(ofValidUTF8 utf8: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard !utf8.isEmpty else { return body(utf8) }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * utf8.count) { buffer in
            let scalars = buffer.baseAddress!
            let count = UTF8Scalars.decode(utf8, into: scalars)
            var run = FrenchStemmerRun(word: scalars, count: count, capacity: buffer.count)
            let stemCount = run.stem()
            // Encode on the stack, not through String(unsafeUninitializedCapacity:): a
            // capacity above 15 bytes would heap-allocate even for a short stem.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, 4 * stemCount)) { out in
                let written = UTF8Scalars.encode(scalars, count: stemCount, into: out.baseAddress!)
                return body(UnsafeBufferPointer(start: out.baseAddress!, count: written))
            }
        }
    }

    /// Stems a word held as Unicode scalars, in place.
    ///
    /// The array temporarily grows to twice the word's length (the algorithm needs the room)
    /// and is then truncated to the stem; pass the same array for every word to stem without
    /// allocating.
    public func stem(scalars word: inout [Unicode.Scalar]) {
        let count = word.count
        guard count > 0 else { return }
        word.append(contentsOf: repeatElement(" ", count: count))
        let stemCount = word.withUnsafeMutableBufferPointer { buffer in
            // Unicode.Scalar is a frozen wrapper of its UInt32 value, so the two share layout.
            buffer.withMemoryRebound(to: UInt32.self) { values in
                var run = FrenchStemmerRun(word: values.baseAddress!, count: count, capacity: values.count)
                return run.stem()
            }
        }
        word.removeLast(word.count - stemCount)
    }

    /// Stems one word given as UTF-8 and appends the stem's UTF-8 bytes to `output`.
    ///
    /// - Throws: `ChatbotError.invalidUTF8(byteOffset:)` naming the first byte of `word` that
    ///   does not start a valid UTF-8 sequence; `output` is then left unchanged.
    public func stem(utf8 word: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8]) throws(ChatbotError) {
        guard !word.isEmpty else { return }
        let result: Int = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * word.count) { buffer in
            let scalars = buffer.baseAddress!
            let count = UTF8Scalars.decode(word, into: scalars)
            guard count >= 0 else { return count }
            var run = FrenchStemmerRun(word: scalars, count: count, capacity: buffer.count)
            let stemCount = run.stem()
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: 4 * stemCount))
            let written = output.withUnsafeMutableBufferPointer { out in
                UTF8Scalars.encode(scalars, count: stemCount, into: out.baseAddress! + start)
            }
            output.removeLast(4 * stemCount - written)
            return 0
        }
        if result < 0 { throw .invalidUTF8(byteOffset: -(result + 1)) }
    }
}

/// Byte-wise equality of two buffers of `count` bytes (words are short: a plain loop beats
/// a call to memcmp).
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for k in 0..<count where a[k] != b[k] { return false }
    return true
}
