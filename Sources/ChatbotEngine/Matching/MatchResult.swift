/// One knowledge item proposed for a question.
public struct Match: Sendable, Equatable {
    /// Position of the item in the knowledge base.
    public var itemIndex: Int
    public var id: String
    /// Cosine similarity in [0, 1] between the question and the item's best question
    /// (hybrid when embeddings are used). See README, "What a score means".
    public var score: Float
    /// The item's question that matched best, and its position in the base.
    public var question: String
    public var questionIndex: Int
    public var answer: String
    public var category: String
}

/// The answer to one question: the decision and the best items, best first.
public struct MatchResult: Sendable, Equatable {
    public var decision: Decision
    /// Up to `topK` items, best first. With `.suggest`, the items to suggest are the first
    /// `suggestionCount`; with `.answer`, the first one.
    public var matches: [Match]
    public var suggestionCount: Int
}

/// Per-question options.
public struct MatchOptions: Sendable {
    public var topK: Int = 5
    /// Only items of this category are considered.
    public var category: String? = nil
    /// The question's own embedding, for the hybrid score (same model and dimension as the base's vectors).
    public var queryVector: [Float]? = nil
    /// The day used for expiry; `nil` means today (UTC).
    public var today: CalendarDate? = nil

    public static let maxTopK = 1000

    public init(topK: Int = 5, category: String? = nil, queryVector: [Float]? = nil, today: CalendarDate? = nil) {
        self.topK = topK
        self.category = category
        self.queryVector = queryVector
        self.today = today
    }
}
