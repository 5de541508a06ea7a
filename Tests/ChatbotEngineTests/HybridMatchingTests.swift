import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// External embeddings: stored per question, mixed with the lexical score when a question
/// arrives with its own vector.
@Suite struct HybridMatchingTests {
    /// Three items whose questions share no words with the test question, so that only the
    /// embedding can tell them apart.
    func engine(weight: Float = 0.5) throws -> Engine {
        let items = [
            KnowledgeItem(id: "meteo", questions: ["quel temps fera-t-il demain", "prévisions météo"],
                          questionVectors: [[1, 0, 0], [0.9, 0.1, 0]]),
            KnowledgeItem(id: "cantine", questions: ["menu de la cantine"], questionVectors: [[0, 1, 0]]),
            // No vector for this one: it is scored lexically only.
            KnowledgeItem(id: "parking", questions: ["où garer ma voiture"]),
        ]
        var settings = DecisionSettings.cosine
        settings.embeddingWeight = weight
        var learning = LearningOptions()
        learning.enabled = false
        return try Engine.build(KnowledgeBase(items: items), settings: settings, learning: learning)
    }

    @Test func storesTheEmbeddings() throws {
        let e = try engine()
        #expect(e.embeddingDimension == 3)
        let reopened = try Engine(indexBytes: e.indexBytes)
        #expect(reopened.embeddingDimension == 3)
    }

    @Test func theQueryVectorDecidesWhenWordsDoNot() throws {
        let e = try engine(weight: 1)
        let sunny = try e.match("va-t-il pleuvoir", options: MatchOptions(queryVector: [2, 0.1, 0]))
        #expect(sunny.matches.first?.id == "meteo")
        #expect(abs((sunny.matches.first?.score ?? 0) - 0.9988) < 0.01)
        let food = try e.match("va-t-il pleuvoir", options: MatchOptions(queryVector: [0, 3, 0]))
        #expect(food.matches.first?.id == "cantine")
    }

    @Test func theWeightMixesLexicalAndEmbeddingCosines() throws {
        let lexicalOnly = try engine(weight: 0).match("menu de la cantine", options: MatchOptions(queryVector: [1, 0, 0]))
        #expect(lexicalOnly.matches.first?.id == "cantine")
        #expect(abs(lexicalOnly.matches[0].score - 1) < 1e-4)
        let half = try engine(weight: 0.5).match("menu de la cantine", options: MatchOptions(queryVector: [1, 0, 0]))
        // Lexical cosine 1, embedding cosine 0 → 0.5.
        #expect(abs(half.matches.first { $0.id == "cantine" }!.score - 0.5) < 1e-4)
        #expect(abs(half.matches.first { $0.id == "meteo" }!.score - 0.5) < 0.05)
    }

    @Test func questionsWithoutStoredVectorsKeepTheirLexicalScore() throws {
        let r = try engine(weight: 1).match("où garer ma voiture", options: MatchOptions(queryVector: [0, 0, 1]))
        #expect(r.matches.first?.id == "parking")
        #expect(abs(r.matches[0].score - 1) < 1e-4)
    }

    @Test func badQueryVectorsAreClearErrors() throws {
        let e = try engine()
        func message(_ v: [Float]) -> String {
            do { _ = try e.match("x", options: MatchOptions(queryVector: v)); return "accepted" } catch { return error.description }
        }
        #expect(message([1, 0]).contains("dimension 2"))
        #expect(message([.nan, 0, 0]).contains("NaN"))
        #expect(message([.infinity, 0, 0]).contains("NaN or infinite"))
        #expect(message([0, 0, 0]).contains("all zeros"))
        let lexical = try TestKnowledgeBase.engine()
        #expect(throws: ChatbotError.self) { try lexical.match("congés", options: MatchOptions(queryVector: [1])) }
    }

    @Test func inconsistentOrBadStoredVectorsAreRejectedAtBuild() {
        let mixed = [KnowledgeItem(id: "a", questions: ["x", "y"], questionVectors: [[1, 0], [1, 0, 0]])]
        #expect(throws: ChatbotError.self) { try Engine.build(KnowledgeBase(items: mixed)) }
        let nan = [KnowledgeItem(id: "a", questions: ["x"], questionVectors: [[.nan, 1]])]
        #expect(throws: ChatbotError.self) { try Engine.build(KnowledgeBase(items: nan)) }
        let zero = [KnowledgeItem(id: "a", questions: ["x"], questionVectors: [[0, 0]])]
        #expect(throws: ChatbotError.self) { try Engine.build(KnowledgeBase(items: zero)) }
    }
}
