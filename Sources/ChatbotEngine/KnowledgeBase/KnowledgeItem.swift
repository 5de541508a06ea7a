import ChatbotErrors
/// One entry of a knowledge base: the questions it answers and its answer.
///
/// `questions[0]` is the main question; the others are alternative phrasings. An item
/// without questions is never matched: it is reached by its role (`ItemRole`, e.g. the
/// welcome message) or by a button that targets it.
public struct KnowledgeItem: Sendable, Equatable {
    public var id: String
    /// Empty when the item has no category.
    public var category: String
    public var questions: [String]
    /// The answer as plain text. May be empty (research knowledge bases carry only ids and
    /// questions, and structured answers live in `messages`); see `plainAnswer`.
    public var answer: String
    /// The answer as ordered messages (texts, images, buttons, quick replies); empty when the
    /// source gave only a plain `answer` (see `effectiveMessages`).
    public var messages: [Message]
    /// Hidden items are kept in the index but never returned.
    public var hidden: Bool
    /// The last day the item may be returned; `nil` means it never expires.
    public var expiresAt: CalendarDate?
    /// Optional precomputed embedding per question, aligned with `questions`
    /// (`nil` entries mean "no vector for this question").
    public var questionVectors: [[Float]?]
    /// Free-form key/value pairs carried through the index unchanged.
    public var attributes: [String: String]

    public init(id: String, category: String = "", questions: [String], answer: String = "",
                hidden: Bool = false, expiresAt: CalendarDate? = nil,
                questionVectors: [[Float]?] = [], attributes: [String: String] = [:], messages: [Message] = []) {
        self.id = id
        self.category = category
        self.questions = questions
        self.answer = answer
        self.hidden = hidden
        self.expiresAt = expiresAt
        self.questionVectors = questionVectors
        self.attributes = attributes
        self.messages = messages
    }
}

/// A parsed knowledge-base source: its items in source order, and what looked wrong but was kept.
public struct KnowledgeBase: Sendable, Equatable {
    public var items: [KnowledgeItem]
    public var warnings: [SourceDiagnostic]
    /// Every question in the order of the source's rows (item order groups an id's rows
    /// together; row order is what external files such as `.npy` vectors are aligned with).
    /// Empty for a knowledge base built in code, where item order is the order.
    public var sourceOrder: [QuestionReference] = []

    public init(items: [KnowledgeItem], warnings: [SourceDiagnostic] = []) {
        self.items = items
        self.warnings = warnings
    }
}

/// A question of a knowledge base: `items[item].questions[question]`.
public struct QuestionReference: Sendable, Equatable, Hashable {
    public var item: Int
    public var question: Int

    public init(item: Int, question: Int) {
        self.item = item
        self.question = question
    }
}

extension KnowledgeBase {
    /// The questions in source-row order (item order when `sourceOrder` is empty).
    public var questionsInSourceOrder: [QuestionReference] {
        if !sourceOrder.isEmpty { return sourceOrder }
        return items.indices.flatMap { i in items[i].questions.indices.map { QuestionReference(item: i, question: $0) } }
    }

    /// Attaches one vector per question, given in source-row order.
    public mutating func attachVectors(_ vectors: [[Float]], sourceName: String) throws(ChatbotError) {
        let order = questionsInSourceOrder
        guard vectors.count == order.count else {
            throw .invalidArgument("the vectors file has \(vectors.count) rows but \(sourceName) has \(order.count) questions")
        }
        for i in items.indices {
            items[i].questionVectors = Array(repeating: nil, count: items[i].questions.count)
        }
        for (row, ref) in order.enumerated() {
            items[ref.item].questionVectors[ref.question] = vectors[row]
        }
    }
}
