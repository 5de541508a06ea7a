/// One knowledge item proposed for a question.
public struct Match: Sendable, Equatable {
    /// Position of the item in the knowledge base.
    public var itemIndex: Int
    public var id: String
    /// With a learned model (the default build): the calibrated confidence in [0, 1], the
    /// estimated probability that this item is the right answer to the question. It is fitted
    /// at build time on held-out questions of the base itself (cross-validation), so 0.9 means
    /// "right about 9 times out of 10" on questions like the base's, whatever the base's size;
    /// questions unlike anything in the base (another domain, gibberish) get low confidences.
    /// Without a learned model (`LearningOptions.enabled == false`, or a format-version-1
    /// index): the cosine similarity in [0, 1] between the question and the item's best
    /// question (hybrid when embeddings are used). See docs/accuracy.md.
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
