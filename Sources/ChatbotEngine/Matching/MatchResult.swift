import ChatbotErrors
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
    /// What the item is for (reserved message, small talk, ordinary), from its id; computed
    /// on demand, since most callers never ask.
    public var role: ItemRole { ItemRole(id: id) }
}

/// The answer to one question: the decision and the best items, best first.
public struct MatchResult: Sendable, Equatable {
    public var decision: Decision
    /// Up to `topK` items, best first. With `.answer`, the first one is the answer.
    public var matches: [Match]
    /// `suggestions.count`: 1 for an answer; the items to offer for a suggestion; for a
    /// fallback, the items offered next to the fallback message (often 0).
    public var suggestionCount: Int
    /// Positions in `matches` of the items to offer, best first: those at or above the
    /// suggestion floor, at most `maxSuggestions`, never reserved or small-talk items. In a
    /// base without such items they are the first `suggestionCount` matches.
    public var suggestions: [Int] = []
    /// The messages to send, in order (see `ReplyText`): the answer's messages, or the
    /// suggestion text and buttons, or the fallback message.
    public var reply: [Message] = []

    public init(decision: Decision, matches: [Match], suggestionCount: Int, suggestions: [Int] = [], reply: [Message] = []) {
        self.decision = decision
        self.matches = matches
        self.suggestionCount = suggestionCount
        self.suggestions = suggestions
        self.reply = reply
    }
}

/// Per-question options.
public struct MatchOptions: Sendable {
    /// Longest question `match` accepts, in UTF-8 bytes; a longer one is refused at once
    /// (`ChatbotError.invalidArgument`), whatever its content. A chat question is a few
    /// hundred bytes (the Usine's template allows 255 characters); a 10 MB one took 3 s and
    /// 500 MB to analyse (issue 13).
    public static let maxQuestionBytes = 16_384
    public var topK: Int = 5
    /// Only items of this category are considered.
    public var category: String? = nil
    /// The question's own embedding, for the hybrid score (same model and dimension as the base's vectors).
    public var queryVector: [Float]? = nil
    /// The day used for expiry; `nil` means today (UTC).
    public var today: CalendarDate? = nil
    /// Decision settings for this question; `nil` means the engine's (stored in the index).
    public var settings: DecisionSettings? = nil
    /// Whether to build `MatchResult.reply`. Callers that only rank (batch matching,
    /// evaluation) turn it off and save the decoding of the item's messages.
    public var buildsReply = true

    public static let maxTopK = 1000

    /// Throws `.invalidArgument` for a top-k out of 1…`maxTopK`, invalid decision settings,
    /// or a question longer than `maxQuestionBytes`.
    func validate(question: String) throws(ChatbotError) {
        guard topK >= 1, topK <= Self.maxTopK else {
            throw .invalidArgument("top-k must be between 1 and \(Self.maxTopK), got \(topK)")
        }
        try settings?.validate()
        guard question.utf8.count <= Self.maxQuestionBytes else {
            throw .invalidArgument("the question is \(question.utf8.count) bytes long; the limit is \(Self.maxQuestionBytes)")
        }
    }

    public init(topK: Int = 5, category: String? = nil, queryVector: [Float]? = nil, today: CalendarDate? = nil,
                settings: DecisionSettings? = nil) {
        self.topK = topK
        self.settings = settings
        self.category = category
        self.queryVector = queryVector
        self.today = today
    }
}
