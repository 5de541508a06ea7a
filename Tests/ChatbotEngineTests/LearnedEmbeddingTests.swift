import ChatbotErrors
import Testing
@testable import ChatbotEngine

/// Question embeddings as inputs of the learned model (index format 3): one weight row per
/// embedding dimension, stored scaled, fed the unit query vector at match time.
@Suite struct LearnedEmbeddingTests {
    static let dim = 8
    static let itemCount = 4

    /// Questions made of filler words shared by every item, so words say nothing about the
    /// item; each question's embedding is its item's direction plus seeded noise.
    static func base(seed: UInt64 = 3, questionsPerItem: Int = 8) -> (KnowledgeBase, SyntheticBase) {
        var synthetic = SyntheticBase(itemCount: itemCount, questionsPerItem: 1, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 100)
        var items: [KnowledgeItem] = []
        for i in 0..<itemCount {
            var questions: [String] = [], vectors: [[Float]?] = []
            for _ in 0..<questionsPerItem {
                questions.append(synthetic.sentence(keyword: synthetic.filler[0], fillerWords: 4))
                vectors.append(vector(item: i, rng: &rng))
            }
            items.append(KnowledgeItem(id: "item\(i)", questions: questions, answer: "answer \(i)", questionVectors: vectors))
        }
        return (KnowledgeBase(items: items), synthetic)
    }

    static var learning: LearningOptions {
        var l = LearningOptions()
        l.embeddingScale = LearningOptions.recommendedEmbeddingScale
        return l
    }

    static func vector(item: Int, rng: inout SeededGenerator) -> [Float] {
        (0..<dim).map { d in (d == item ? 1 : 0) + Float.random(in: -0.3...0.3, using: &rng) }
    }

    /// Share of fresh filler questions, with a fresh vector near their item's direction, whose top match is their item.
    static func accuracy(_ engine: Engine, withVectors: Bool, seed: UInt64 = 9) throws -> Double {
        var (_, synthetic) = base()
        var rng = SeededGenerator(seed: seed)
        var right = 0, total = 0
        for i in 0..<itemCount {
            for _ in 0..<5 {
                let q = synthetic.sentence(keyword: synthetic.filler[0], fillerWords: 4)
                let options = MatchOptions(queryVector: withVectors ? vector(item: i, rng: &rng) : nil)
                if try engine.match(q, options: options).matches.first?.id == "item\(i)" { right += 1 }
                total += 1
            }
        }
        return Double(right) / Double(total)
    }

    @Test func theModelLearnsFromEmbeddingsWhenWordsSayNothing() throws {
        let engine = try Engine.build(Self.base().0, learning: Self.learning)
        #expect(engine.image.model?.embeddingRow != nil)
        #expect(engine.learningOptions?.embeddingScale == LearningOptions.recommendedEmbeddingScale)
        #expect(try Self.accuracy(engine, withVectors: true) >= 0.9)
    }

    /// Such a model leans on the embedding: a question without one is refused, not answered worse.
    @Test func aQuestionWithoutItsVectorIsAClearError() throws {
        let engine = try Engine.build(Self.base().0, learning: Self.learning)
        let known = Self.base().1.filler[0]
        do { _ = try engine.match(known); Issue.record("accepted") } catch {
            #expect(error.description.contains("takes question embeddings as input"), "\(error)")
        }
        // Scale 0 keeps embeddings out of the model, and answers without vectors.
        var lexical = LearningOptions()
        lexical.embeddingScale = 0
        #expect(try Engine.build(Self.base().0, learning: lexical).match(known).matches.count > 0)
    }

    /// Issue 12: embeddings the host gives must count, so by default they enter the model.
    @Test func byDefaultEmbeddingsEnterTheModel() throws {
        let engine = try Engine.build(Self.base().0)
        #expect(engine.learningOptions?.embeddingScale == 2)
        #expect(engine.image.model?.embeddingRow != nil)
    }

    @Test func scaleZeroKeepsEmbeddingsOutOfTheModel() throws {
        var lexical = LearningOptions()
        lexical.embeddingScale = 0
        let engine = try Engine.build(Self.base().0, learning: lexical)
        #expect(engine.learningOptions?.embeddingScale == 0)
        #expect(engine.hasLearnedModel)
        #expect(engine.image.model?.embeddingRow == nil)
        #expect(engine.embeddingDimension == Self.dim)
    }

    @Test func theEmbeddingRowsSurviveTheIndexFile() throws {
        let engine = try Engine.build(Self.base().0, learning: Self.learning)
        let reopened = try Engine(indexBytes: engine.indexBytes)
        #expect(reopened.formatVersion == 4)
        #expect(reopened.image.model?.embeddingRow == engine.image.model?.embeddingRow)
        var rng = SeededGenerator(seed: 5)
        for i in 0..<Self.itemCount {
            let options = MatchOptions(queryVector: Self.vector(item: i, rng: &rng))
            #expect(try reopened.match("bonjour", options: options) == engine.match("bonjour", options: options))
        }
    }

    /// A version-2 writer has no place for embedding rows: the model is learned without them.
    @Test func aVersionTwoIndexLearnsWithoutEmbeddingRows() throws {
        var builder = IndexBuilder(options: FeatureOptions(), decision: DecisionSettings(), synonymGroups: [])
        builder.formatVersion = 2
        builder.learning = Self.learning
        let v2 = try Engine(indexBytes: builder.build(Self.base().0))
        #expect(v2.formatVersion == 2)
        #expect(v2.hasLearnedModel)
        #expect(v2.image.model?.embeddingRow == nil)
        #expect(v2.embeddingDimension == Self.dim)
    }

    @Test func aWarmStartCarriesTheEmbeddingRowsOver() throws {
        let (kb, _) = Self.base()
        let previous = try Engine.build(kb, learning: Self.learning)
        var edited = kb.items
        var rng = SeededGenerator(seed: 77)
        edited[1].questions.append("une question de plus")
        edited[1].questionVectors.append(Self.vector(item: 1, rng: &rng))
        #expect(previous.warmStartProblem(learning: Self.learning) == nil)
        let updated = try Engine.build(KnowledgeBase(items: edited), learning: Self.learning, warmStart: previous)
        // The embedding rows carry over unchanged (only the word features adapt).
        let old = try #require(previous.image.model), new = try #require(updated.image.model)
        let oldFirst = try #require(old.embeddingRow), newFirst = try #require(new.embeddingRow)
        for d in 0..<Self.dim {
            for item in 0..<Self.itemCount {
                #expect(new.weights[(newFirst + d) * new.stride + item] == old.weights[(oldFirst + d) * old.stride + item])
            }
        }
        #expect(try Self.accuracy(updated, withVectors: true) >= 0.9)
    }

    /// Frozen embedding rows would know nothing of a new item: adding one means a cold build.
    @Test func aNewItemMakesTheWarmStartCold() throws {
        let (kb, synthetic) = Self.base()
        let previous = try Engine.build(kb, learning: Self.learning)
        var rng = SeededGenerator(seed: 21)
        var s = synthetic
        let newItem = KnowledgeItem(id: "item4", questions: (0..<8).map { _ in s.sentence(keyword: s.filler[0], fillerWords: 4) },
                                    questionVectors: (0..<8).map { _ in Self.vector(item: 4, rng: &rng) })
        let grown = KnowledgeBase(items: kb.items + [newItem])
        let warm = try Engine.build(grown, learning: Self.learning, warmStart: previous)
        let cold = try Engine.build(grown, learning: Self.learning)
        #expect(warm.indexBytes == cold.indexBytes)
        let q = s.sentence(keyword: s.filler[0], fillerWords: 4)
        #expect(try warm.match(q, options: MatchOptions(queryVector: Self.vector(item: 4, rng: &rng))).matches.first?.id == "item4")
    }

    /// The embedding rows count against `maxWeights`: word features get what is left.
    @Test func theWeightBudgetIncludesTheEmbeddingRows() throws {
        var learning = Self.learning
        learning.maxWeights = 1024  // stride 8 → 128 rows: 8 for the embedding, 120 for features
        let engine = try Engine.build(Self.base().0, learning: learning)
        let model = try #require(engine.image.model)
        #expect(model.weights.count <= learning.maxWeights)
        #expect(model.embeddingRow == model.weights.count / model.stride - Self.dim)
        // A budget the embedding block alone fills is a clear error: 200 rows × stride 8 > 1024.
        let wide = KnowledgeBase(items: (0..<2).map { i in
            KnowledgeItem(id: "w\(i)", questions: ["question \(i)"], questionVectors: [(0..<200).map { Float(($0 + i) % 3) }])
        })
        do { _ = try Engine.build(wide, learning: learning); Issue.record("accepted") } catch {
            #expect(error.description.contains("exceed its budget"), "\(error)")
        }
    }

    @Test func invalidEmbeddingScalesAreErrors() {
        for bad: Float in [-1, .nan, .infinity, 101] {
            var learning = LearningOptions()
            learning.embeddingScale = bad
            #expect(throws: ChatbotError.self) { try Engine.build(Self.base().0, learning: learning) }
        }
    }

    @Test func inconsistentEmbeddingRowSectionsAreRejected() throws {
        let bytes = try Engine.build(Self.base().0, learning: Self.learning).indexBytes
        // LEMB holds one UInt32; written here through its bit pattern.
        for (value, message) in [(UInt32(0), "do not end"), (UInt32.max - 3, "do not end")] {
            let bad = LearningTests.corrupt(bytes, section: "LEMB", element: 0, with: Float(bitPattern: value))
            do { _ = try Engine(indexBytes: bad); Issue.record("accepted LEMB \(value)") } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }
}
