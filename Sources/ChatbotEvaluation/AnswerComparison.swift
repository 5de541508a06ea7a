import ChatbotErrors
import ChatbotEngine

/// How the answers to a labelled set changed between two versions of a knowledge base.
///
/// "The answer" to a question is the best item when the decision is `answer`, and none
/// otherwise (a suggestion or a fallback is not an answer). A question is handled right when
/// its answer is the expected item, or, for an out-of-scope question, when there is no answer.
public struct AnswerComparison: Sendable {
    public struct Change: Sendable, Equatable {
        public var question: String
        public var expectedID: String
        public var oldAnswer: String?
        public var newAnswer: String?
        public var oldDecision: Decision
        public var newDecision: Decision
        /// Position of the question in the labelled set (0-based).
        public var index: Int
    }

    /// Handled wrongly before, right now.
    public var gained: [Change]
    /// Handled right before, wrongly now.
    public var lost: [Change]
    /// Answer changed, wrong both times.
    public var changed: [Change]
    /// Questions compared.
    public var count: Int

    /// Compares two reports on the same labelled set (same questions in the same order).
    public init(old: EvaluationReport, new: EvaluationReport) throws(ChatbotError) {
        guard old.outcomes.count == new.outcomes.count else {
            throw .invalidArgument("cannot compare reports on different sets: \(old.outcomes.count) and \(new.outcomes.count) questions")
        }
        gained = []; lost = []; changed = []
        count = old.outcomes.count
        for (i, (a, b)) in zip(old.outcomes, new.outcomes).enumerated() {
            guard a.question == b.question, a.expectedID == b.expectedID else {
                throw .invalidArgument("cannot compare reports on different sets: question \(i + 1) differs")
            }
            let change = Change(question: a.question, expectedID: a.expectedID, oldAnswer: a.answeredID, newAnswer: b.answeredID,
                                oldDecision: a.decision, newDecision: b.decision, index: i)
            switch (a.isHandledCorrectly, b.isHandledCorrectly) {
            case (false, true): gained.append(change)
            case (true, false): lost.append(change)
            case (false, false) where a.answeredID != b.answeredID: changed.append(change)
            default: break
            }
        }
    }
}
