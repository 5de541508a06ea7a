/// One piece of personal data that was replaced.
public struct Redaction: Sendable, Hashable {
    /// The placeholder's name: `EMAIL`, `TELEPHONE`, `NIR`, `IBAN`, `CARTE`, or a host
    /// pattern's name. The text shows it as `[KIND]`.
    public let kind: String
    /// Where the data was, in UTF-8 byte offsets into the *original* text.
    public let range: Range<Int>

    public init(kind: String, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

/// The result of `Anonymizer.anonymize`: the masked text and what was masked.
public struct AnonymizedText: Sendable, Hashable {
    /// The text with every redaction replaced by its `[KIND]` placeholder.
    public let text: String
    /// The redactions in text order, not overlapping.
    public let redactions: [Redaction]

    public init(text: String, redactions: [Redaction]) {
        self.text = text
        self.redactions = redactions
    }
}
