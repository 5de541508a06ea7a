// STUB — replaced by the real analyser.
/// A token after the whole analysis chain.
public struct AnalyzedToken: Sendable, Equatable {
    public var token: Token
    /// Snowball stem of the normalised token (accents intact).
    public var stem: String
    /// The stem with accents folded: what indexes and queries store.
    public var term: String
    public var isStopWord: Bool
    /// Normalised, accent-folded word (for character n-grams).
    public var folded: String { token.text }
}

/// Normalise → tokenise → stop words → stem → fold accents.
public struct Analyzer: Sendable {
    public init(keepNegations: Bool = true) {}

    public func analyze(_ text: String) -> [AnalyzedToken] {
        var out: [AnalyzedToken] = []
        var offset = 0
        for part in text.split(separator: " ", omittingEmptySubsequences: false) {
            let n = part.utf8.count
            if n > 0 {
                let t = Token(text: part.lowercased(), byteRange: offset..<offset + n, kind: .word)
                out.append(AnalyzedToken(token: t, stem: t.text, term: t.text, isStopWord: false))
            }
            offset += n + 1
        }
        return out
    }

    public func analyze(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(TextError) -> [AnalyzedToken] {
        analyze(String(decoding: bytes, as: UTF8.self))
    }

    /// The non-stop-word terms, in order.
    public func terms(_ text: String) -> [String] {
        analyze(text).filter { !$0.isStopWord }.map(\.term)
    }
}
