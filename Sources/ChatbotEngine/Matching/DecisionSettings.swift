import ChatbotErrors
/// The three settings that turn scores into a decision the host can act on.
///
/// - `answer`: the best item scores at least `answerThreshold` and leads the next item
///   by at least `ambiguityMargin`.
/// - `suggest`: otherwise, the items scoring at least `suggestionFloor` (at most
///   `maxSuggestions` of them) are offered.
/// - `fallback`: nothing reaches the floor; the host hands over to a person.
///
/// The defaults are for calibrated confidences (an index with a learned model, see
/// `Match.score`): answer only when the item is right with an estimated probability of at
/// least 0.85 — on MASSIVE fr-FR, 5-fold cross-validation gives an answered precision of
/// 0.957 at that threshold (0.971 at 0.9, 0.946 at 0.8; README, "Accuracy"). An index built without a learned model scores by cosine, whose scale is
/// different; building it with the default settings stores `DecisionSettings.cosine` instead.
public struct DecisionSettings: Sendable, Equatable {
    public var answerThreshold: Float = 0.85
    public var ambiguityMargin: Float = 0.05
    public var suggestionFloor: Float = 0.3
    public var maxSuggestions: Int = 3
    /// Weight of the embedding cosine in the hybrid score, when both the index and the
    /// question carry vectors: `score = (1 - w) · lexical + w · embedding`.
    public var embeddingWeight: Float = 0.5

    public init() {}

    /// Defaults for cosine scores (an index without a learned model): the settings of format version 1.
    public static let cosine = DecisionSettings(answerThreshold: 0.5, ambiguityMargin: 0.05, suggestionFloor: 0.25)

    public init(answerThreshold: Float, ambiguityMargin: Float, suggestionFloor: Float,
                maxSuggestions: Int = 3, embeddingWeight: Float = 0.5) {
        self.answerThreshold = answerThreshold
        self.ambiguityMargin = ambiguityMargin
        self.suggestionFloor = suggestionFloor
        self.maxSuggestions = maxSuggestions
        self.embeddingWeight = embeddingWeight
    }

    public func validate() throws(ChatbotError) {
        for (name, v) in [("answer threshold", answerThreshold), ("ambiguity margin", ambiguityMargin),
                          ("suggestion floor", suggestionFloor), ("embedding weight", embeddingWeight)] {
            guard v.isFinite, v >= 0, v <= 1 else { throw .invalidArgument("\(name) must be between 0 and 1, got \(v)") }
        }
        guard suggestionFloor <= answerThreshold else {
            throw .invalidArgument("suggestion floor (\(suggestionFloor)) must not exceed the answer threshold (\(answerThreshold))")
        }
        guard (1...100).contains(maxSuggestions) else { throw .invalidArgument("max suggestions must be between 1 and 100") }
    }
}

extension DecisionSettings {
    /// The decision rule (see `DecisionSettings`), with the Usine à chatbots' roles:
    /// a question that lands on `phrase_hors_sujet` (examples of out-of-scope input) is a
    /// fallback; reserved and small-talk items answer as usual but are never suggested.
    func decide(_ matches: [Match]) -> MatchResult {
        guard let first = matches.first else { return MatchResult(decision: .fallback, matches: [], suggestionCount: 0) }
        // Matches are best first: stop at the floor or when enough are found (roles are
        // looked up only for the candidates).
        var suggestions: [Int] = []
        for k in matches.indices {
            guard matches[k].score >= suggestionFloor, suggestions.count < maxSuggestions else { break }
            if matches[k].role.isSuggestible { suggestions.append(k) }
        }
        if ItemRole(id: first.id) == .fallback {
            return MatchResult(decision: .fallback, matches: matches, suggestionCount: suggestions.count, suggestions: suggestions)
        }
        let lead = first.score - (matches.count > 1 ? matches[1].score : 0)
        if first.score >= answerThreshold && lead >= ambiguityMargin {
            return MatchResult(decision: .answer, matches: matches, suggestionCount: 1, suggestions: [0])
        }
        if !suggestions.isEmpty {
            return MatchResult(decision: .suggest, matches: matches, suggestionCount: suggestions.count, suggestions: suggestions)
        }
        return MatchResult(decision: .fallback, matches: matches, suggestionCount: 0)
    }

    /// `decide` over `matches`, then at most `topK` of them kept: a suggestion cut off
    /// with them is dropped, and a suggestion left with nothing to offer becomes a fallback.
    func decide(_ matches: [Match], keeping topK: Int) -> MatchResult {
        var result = decide(matches)
        if matches.count > topK {
            result.matches.removeLast(matches.count - topK)
            result.suggestions.removeAll { $0 >= topK }
            if result.decision != .answer { result.suggestionCount = result.suggestions.count }
            if result.decision == .suggest && result.suggestions.isEmpty { result.decision = .fallback }
        }
        return result
    }
}

/// What the host should do with a question.
public enum Decision: String, Sendable, CaseIterable {
    case answer, suggest, fallback
}
