import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

@Suite struct MatchingTests {
    @Test func verbatimQuestionIsAnsweredWithHighConfidence() throws {
        let engine = try TestKnowledgeBase.engine()
        for item in TestKnowledgeBase.items where !item.hidden && item.expiresAt == nil {
            for q in item.questions {
                let r = try engine.match(q)
                #expect(r.matches.first?.id == item.id, "\(q)")
                #expect(r.matches.first?.question == q)
                #expect((r.matches.first?.score ?? 0) >= engine.settings.answerThreshold, "\(q)")
                #expect(r.decision == .answer)
            }
        }
    }

    @Test func resultCarriesAnswerCategoryAndMatchedQuestion() throws {
        let r = try TestKnowledgeBase.engine().match("je veux prendre des vacances")
        let m = try #require(r.matches.first)
        #expect(m.id == "conges")
        #expect(m.answer == "Sur le portail RH, rubrique Absences.")
        #expect(m.category == "RH")
        #expect(m.question == "Je veux prendre des vacances")
    }

    @Test func scoresAreSortedAndWithinUnitInterval() throws {
        let r = try TestKnowledgeBase.engine().match("congés télétravail salaire", options: MatchOptions(topK: 10))
        #expect(!r.matches.isEmpty)
        for (a, b) in zip(r.matches, r.matches.dropFirst()) { #expect(a.score >= b.score) }
        for m in r.matches { #expect(m.score > 0 && m.score <= 1) }
    }

    @Test func hiddenItemsAreNeverReturned() throws {
        let r = try TestKnowledgeBase.engine().match("question cachée sur les congés", options: MatchOptions(topK: 10))
        #expect(!r.matches.contains { $0.id == "secret" })
    }

    @Test func expiredItemsAreNeverReturnedButLiveOnesAre() throws {
        let engine = try TestKnowledgeBase.engine()
        let q = "prime exceptionnelle de fin d'année 2020"
        let before = try engine.match(q, options: MatchOptions(today: CalendarDate(year: 2021, month: 1, day: 31)))
        #expect(before.matches.first?.id == "ancien")
        let after = try engine.match(q, options: MatchOptions(today: CalendarDate(year: 2021, month: 2, day: 1)))
        #expect(!after.matches.contains { $0.id == "ancien" })
        // And with the real clock (today is after 2021).
        #expect(try !engine.match(q).matches.contains { $0.id == "ancien" })
    }

    @Test func categoryFilterKeepsOnlyThatCategory() throws {
        let engine = try TestKnowledgeBase.engine()
        let r = try engine.match("congés salaire mutuelle télétravail", options: MatchOptions(topK: 10, category: "RH"))
        #expect(!r.matches.isEmpty)
        #expect(r.matches.allSatisfy { $0.category == "RH" })
        let none = try engine.match("congés", options: MatchOptions(category: "Inconnue"))
        #expect(none.matches.isEmpty)
        #expect(none.decision == .fallback)
    }

    @Test func topKBoundsAreErrors() throws {
        let engine = try TestKnowledgeBase.engine()
        #expect(throws: ChatbotError.self) { try engine.match("congés", options: MatchOptions(topK: 0)) }
        #expect(throws: ChatbotError.self) { try engine.match("congés", options: MatchOptions(topK: 1001)) }
        #expect(try engine.match("congés", options: MatchOptions(topK: 1)).matches.count == 1)
    }

    /// The margin test needs the runner-up: with `topK: 1` the decision used to skip it and
    /// answer where `topK: 5` suggested (found by Benchmarks/fewshot.py, issue 12).
    @Test func theDecisionDoesNotDependOnTopK() throws {
        // Two items with the same question: a tie (cosine 1 and 1), which must never be answered.
        var cosine = LearningOptions()
        cosine.enabled = false
        let engine = try Engine.build(KnowledgeBase(items: [
            KnowledgeItem(id: "a", questions: ["poser des congés payés", "congés d'été"]),
            KnowledgeItem(id: "b", questions: ["poser des congés payés", "congés d'hiver"]),
            KnowledgeItem(id: "c", questions: ["badge perdu"]),
        ]), learning: cosine)
        for q in ["poser des congés payés", "congés", "badge perdu", "congés d'été", "rien à voir"] {
            let five = try engine.match(q, options: MatchOptions(topK: 5))
            let one = try engine.match(q, options: MatchOptions(topK: 1))
            #expect(one.decision == five.decision, "\(q): \(one.decision) vs \(five.decision)")
            #expect(one.matches.count <= 1 && one.matches.first == five.matches.first, "\(q)")
            #expect(one.suggestions.allSatisfy { $0 < 1 } && one.suggestionCount == one.suggestions.count || one.decision == .answer)
        }
        #expect(try engine.match("poser des congés payés", options: MatchOptions(topK: 1)).decision != .answer)
    }

    /// Issue 13: a question longer than the limit is refused at once, whatever it holds; a
    /// stored question too.
    @Test func overlongQuestionsAreRefused() throws {
        let engine = try TestKnowledgeBase.engine()
        let limit = MatchOptions.maxQuestionBytes
        #expect(try engine.match(String(repeating: "a", count: limit)).decision == .fallback)
        do {
            _ = try engine.match(String(repeating: "badge ", count: 10_000_000 / 6))
            Issue.record("a 10 MB question was accepted")
        } catch {
            #expect(error.description.contains("the limit is \(limit)"), "\(error)")
        }
        do {
            _ = try Engine.build(KnowledgeBase(items: [KnowledgeItem(id: "x", questions: [String(repeating: "é", count: limit)])]))
            Issue.record("an overlong stored question was accepted")
        } catch {
            #expect(error.description.contains("item 'x' question 1") && error.description.contains("the limit"), "\(error)")
        }
    }

    @Test func unrelatedTextFallsBack() throws {
        let engine = try TestKnowledgeBase.engine()
        for q in ["", "   ", "?!", "zzzzqqq wwxxy"] {
            #expect(try engine.match(q).decision == .fallback, "\(q)")
        }
    }

    @Test func decisionRules() {
        func m(_ id: String, _ s: Float) -> Match {
            Match(itemIndex: 0, id: id, score: s, question: "", questionIndex: 0, answer: "", category: "")
        }
        let settings = DecisionSettings(answerThreshold: 0.6, ambiguityMargin: 0.1, suggestionFloor: 0.3, maxSuggestions: 2)
        #expect(settings.decide([m("a", 0.9), m("b", 0.5)]).decision == .answer)
        #expect(settings.decide([m("a", 0.6)]).decision == .answer)
        // Ambiguous: above threshold but too close to the runner-up.
        let ambiguous = settings.decide([m("a", 0.9), m("b", 0.85), m("c", 0.4), m("d", 0.2)])
        #expect(ambiguous.decision == .suggest)
        #expect(ambiguous.suggestionCount == 2)
        let low = settings.decide([m("a", 0.35), m("b", 0.1)])
        #expect(low.decision == .suggest && low.suggestionCount == 1)
        #expect(settings.decide([m("a", 0.29)]).decision == .fallback)
        #expect(settings.decide([]).decision == .fallback)
    }

    @Test func invalidSettingsAreRejected() throws {
        let engine = try TestKnowledgeBase.engine()
        #expect(throws: ChatbotError.self) {
            try engine.withSettings(DecisionSettings(answerThreshold: 0.3, ambiguityMargin: 0, suggestionFloor: 0.5))
        }
        #expect(throws: ChatbotError.self) {
            try engine.withSettings(DecisionSettings(answerThreshold: .nan, ambiguityMargin: 0, suggestionFloor: 0))
        }
        let strict = try engine.withSettings(DecisionSettings(answerThreshold: 1, ambiguityMargin: 0, suggestionFloor: 0.99))
        #expect(try strict.match("congés").decision != .answer)
    }

    @Test func emptyKnowledgeBaseAndEmptyItemsAreErrors() {
        #expect(throws: ChatbotError.self) { try Engine.build(KnowledgeBase(items: [])) }
        #expect(throws: ChatbotError.self) { try Engine.build(KnowledgeBase(items: [KnowledgeItem(id: "a", questions: [])])) }
        #expect(throws: ChatbotError.self) { try Engine.build(KnowledgeBase(items: [KnowledgeItem(id: "", questions: ["x"])])) }
    }

    @Test func typoToleranceThroughCharacterNGrams() throws {
        let r = try TestKnowledgeBase.engine().match("teletravial possible ?")
        #expect(r.matches.first?.id == "teletravail")
    }

    @Test func concurrentMatchesGiveIdenticalResults() async throws {
        let engine = try TestKnowledgeBase.engine()
        let questions = ["congés", "salaire", "mutuelle", "télétravail", "vacances", "paie"]
        let expected = try questions.map { try engine.match($0) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<200 {
                        for (i, q) in questions.enumerated() where try engine.match(q) != expected[i] { return false }
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
