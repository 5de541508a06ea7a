// STUB — replaced by the real Snowball 3.1.1 French stemmer.
/// The Snowball French stemmer (algorithm of Snowball 3.0.0–3.1.1).
public struct FrenchStemmer: Sendable {
    public init() {}

    /// Stems one lowercase word; returns it unchanged when no rule applies.
    public func stem(_ word: String) -> String { word }
}
