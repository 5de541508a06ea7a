/// One replacement made by `SynonymTable.apply(_:matches:)`, for explaining a match.
public struct SynonymMatch: Sendable, Equatable {
    /// The replaced terms, as indices into the input of `apply`.
    public var inputRange: Range<Int>
    /// Index of the replacement term in the output of `apply`.
    public var outputIndex: Int
    /// The group (index into `SynonymTable.groups`) whose entry matched.
    public var group: Int
    /// The term written in place of the span.
    public var canonicalTerm: String

    public init(inputRange: Range<Int>, outputIndex: Int, group: Int, canonicalTerm: String) {
        self.inputRange = inputRange
        self.outputIndex = outputIndex
        self.group = group
        self.canonicalTerm = canonicalTerm
    }
}
