/// One entry of a knowledge base: the questions it answers and its answer.
///
/// `questions[0]` is the main question; the others are alternative phrasings.
public struct KnowledgeItem: Sendable, Equatable {
    public var id: String
    /// Empty when the item has no category.
    public var category: String
    public var questions: [String]
    /// May be empty (research knowledge bases carry only ids and questions).
    public var answer: String
    /// Hidden items are kept in the index but never returned.
    public var hidden: Bool
    /// The last day the item may be returned; `nil` means it never expires.
    public var expiresAt: CalendarDate?
    /// Optional precomputed embedding per question, aligned with `questions`
    /// (`nil` entries mean "no vector for this question").
    public var questionVectors: [[Float]?]
    /// Room for structured responses (buttons, images) in a later format version:
    /// free-form key/value pairs carried through the index unchanged.
    public var attributes: [String: String]

    public init(id: String, category: String = "", questions: [String], answer: String = "",
                hidden: Bool = false, expiresAt: CalendarDate? = nil,
                questionVectors: [[Float]?] = [], attributes: [String: String] = [:]) {
        self.id = id
        self.category = category
        self.questions = questions
        self.answer = answer
        self.hidden = hidden
        self.expiresAt = expiresAt
        self.questionVectors = questionVectors
        self.attributes = attributes
    }
}

/// A parsed knowledge-base source: its items in source order, and what looked wrong but was kept.
public struct KnowledgeBase: Sendable, Equatable {
    public var items: [KnowledgeItem]
    public var warnings: [SourceDiagnostic]

    public init(items: [KnowledgeItem], warnings: [SourceDiagnostic] = []) {
        self.items = items
        self.warnings = warnings
    }
}

/// A problem found in a source file, located by file and 1-based line.
public struct SourceDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
