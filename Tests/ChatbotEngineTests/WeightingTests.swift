import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// The builder weighs a stored question from feature ids (`Weighting.appendVector`); a
/// question asked is weighed from hashes (`Weighting.vector`). Matching compares the two, so
/// a stored question asked verbatim must get exactly the floats it was stored with.
@Suite struct WeightingTests {
    /// Every question of `items` through both paths: same ids, same weights, bit for bit.
    func expectBothPathsAgree(_ items: [KnowledgeItem], options: FeatureOptions) {
        let extractor = FeatureExtractor(options: options, synonyms: SynonymTable())
        let raws = items.flatMap(\.questions).map { extractor.extract($0) }
        var terms = QuestionTerms()
        for raw in raws {
            terms.add(raw)
            terms.endQuestion()
        }
        let idf = terms.documentFrequency.map { Weighting.idf(documentFrequency: $0, documentCount: raws.count) }
        var idOf: [UInt64: UInt32] = [:]
        for (id, hash) in terms.hashes.enumerated() { idOf[hash] = UInt32(id) }
        var compared = 0
        for (q, raw) in raws.enumerated() {
            var ids: [UInt32] = [], weights: [Float] = []
            terms.features.withUnsafeBufferPointer { features in
                terms.counts.withUnsafeBufferPointer { counts in
                    terms.blocks.withUnsafeBufferPointer { blocks in
                        idf.withUnsafeBufferPointer { idf in
                            let range = terms.range(of: q)
                            Weighting.appendVector(ids: UnsafeBufferPointer(rebasing: features[range]),
                                                   counts: UnsafeBufferPointer(rebasing: counts[range]), blocks: blocks,
                                                   idf: idf, options: options, to: &ids, &weights)
                        }
                    }
                }
            }
            let built = zip(ids, weights).sorted { $0.0 < $1.0 }
            let asked = Weighting.vector(raw, options: options, unseenIDF: 99) { hash in
                idOf[hash].map { ($0, idf[Int($0)]) }
            }
            #expect(built.map(\.0) == asked.ids, "question \(q)")
            #expect(built.map { $0.1.bitPattern } == asked.weights.map(\.bitPattern), "question \(q)")
            compared += asked.ids.count
        }
        #expect(compared > 100, "the fixture gives too few features to compare")
    }

    @Test func aStoredQuestionWeighsTheSameBuiltAndAsked() {
        var items = SyntheticBase(itemCount: 10, questionsPerItem: 6, seed: 11).items
        items[0].questions.append("congé congé maladie, congé")
        items[1].questions.append("Où est le bâtiment B ? Le bâtiment B !")
        expectBothPathsAgree(items, options: FeatureOptions())
    }

    @Test func theyAgreeWithOtherBlockWeights() {
        var options = FeatureOptions()
        options.charBlockWeight = 0.25
        expectBothPathsAgree(SyntheticBase(itemCount: 6, questionsPerItem: 5, seed: 4).items, options: options)
    }
}
