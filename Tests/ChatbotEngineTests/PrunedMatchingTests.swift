import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// Issue 15, item 1: with a learned model, the nearest-question cosine is computed only for
/// the items that can still rank. The ranking must be the full scan's, bit for bit: same
/// items, same scores, same nearest questions, in the same order.
@Suite struct PrunedMatchingTests {
    /// The pruned ranking (cosines from the candidates' parts of the posting lists, and, as
    /// `Engine.match` does on small bases, from one walk over them) and the full scan of
    /// every item's cosine, for one question.
    static func bothRankings(_ engine: Engine, _ question: String, k: Int, eligible: (Int) -> Bool)
        -> (pruned: [(item: Int, score: Float, question: Int)], walked: [(item: Int, score: Float, question: Int)],
            full: [(item: Int, score: Float, question: Int)]) {
        let matcher = engine.matcher
        let model = engine.image.model!
        let v = matcher.vector(matcher.extractor.extract(tokens: matcher.extractor.analyzer.analyze(question)))
        let pruned = matcher.topItemsLearned(vector: v, query: nil, questionScores: nil, model: model, k: k, eligible: eligible)
        let walked = matcher.topItemsLearned(vector: v, query: nil, questionScores: matcher.lexicalScores(v), model: model,
                                             k: k, eligible: eligible)
        let full = matcher.topItemsLearned(vector: v, query: nil, questionScores: matcher.lexicalScores(v), model: model, k: k,
                                           pruning: false, eligible: eligible)
        return (pruned, walked, full)
    }

    static func expectSame(_ engine: Engine, _ questions: [String], ks: [Int] = [1, 2, 5, 20],
                           eligible: (Int) -> Bool = { _ in true }, _ what: String) {
        for question in questions {
            for k in ks {
                let (pruned, walked, full) = bothRankings(engine, question, k: k, eligible: eligible)
                for (name, ranking) in [("pruned", pruned), ("walked", walked)] {
                    let same = ranking.count == full.count && zip(ranking, full).allSatisfy {
                        $0.item == $1.item && $0.score.bitPattern == $1.score.bitPattern && $0.question == $1.question
                    }
                    #expect(same, "\(what): '\(question)' k=\(k), \(name): \(ranking) vs \(full)")
                }
            }
        }
    }

    /// Questions of every kind: stored ones, new ones, traps, out-of-domain, gibberish,
    /// words the base never saw, one character.
    static func questions(_ base: inout SyntheticBase) -> [String] {
        var qs = base.items.prefix(5).flatMap { $0.questions.prefix(2) }
        for item in 0..<min(base.items.count, 12) { qs.append(base.query(item: item)) }
        qs.append(base.trap(item: 1, other: 2))
        qs += ["", "a", "xyzzy plugh", "comment poser des congés", "zzzz qqqq wwww", base.filler.prefix(4).joined(separator: " ")]
        return qs
    }

    @Test func prunedRankingIsTheFullScanOnSyntheticBases() throws {
        for (items, perItem, seed) in [(3, 4, UInt64(1)), (40, 5, 2), (90, 2, 3), (15, 16, 4)] {
            var base = SyntheticBase(itemCount: items, questionsPerItem: perItem, seed: seed)
            let engine = try Engine.build(KnowledgeBase(items: base.items))
            #expect(engine.hasLearnedModel)
            Self.expectSame(engine, Self.questions(&base), "\(items) items × \(perItem)")
        }
    }

    /// Ineligible items (hidden, expired, another category) are skipped by both, whichever
    /// the pruning would have evaluated first.
    @Test func prunedRankingIsTheFullScanWithFilters() throws {
        var base = SyntheticBase(itemCount: 50, questionsPerItem: 5, seed: 9)
        let engine = try Engine.build(KnowledgeBase(items: base.items))
        let qs = Self.questions(&base)
        Self.expectSame(engine, qs, eligible: { $0 % 3 != 0 }, "every third item out")
        Self.expectSame(engine, qs, eligible: { $0 >= 45 }, "only the last five")
        Self.expectSame(engine, qs, eligible: { $0 == 7 }, "one item")
        Self.expectSame(engine, qs, eligible: { _ in false }, "none")
    }

    /// The French fixture base.
    @Test func prunedRankingIsTheFullScanOnTheFrenchBase() throws {
        let engine = try TestKnowledgeBase.engine()
        let questions = ["Comment poser des congés ?", "badge perdu", "mot de passe oublié", "je veux des vacances",
                         "quand est versé le salaire", "bonjour", "xyzzy", "télétravail le vendredi ?"]
        Self.expectSame(engine, questions, "French base")
    }
}
