/// One token of a question, with where it came from in the original bytes.
public struct Token: Sendable, Equatable {
    public enum Kind: String, Sendable { case word, number, email, url }
    /// Normalised form: NFKC, case-folded, apostrophes and dashes unified (accents kept).
    public var text: String
    /// Byte offsets of the token in the original (un-normalised) UTF-8 input.
    public var byteRange: Range<Int>
    public var kind: Kind

    public init(text: String, byteRange: Range<Int>, kind: Kind) {
        self.text = text
        self.byteRange = byteRange
        self.kind = kind
    }
}
