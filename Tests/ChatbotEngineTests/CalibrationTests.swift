import Testing
@testable import ChatbotEngine
import EngineTestSupport

@Suite struct CalibrationTests {
    @Test func confidenceIsAProbabilityAndMonotoneInEachSignal() {
        for c in [Calibrator.prior, Calibrator(coefficients: [-2.5, 0.6, 3.6, 2.7, 0.3, 1])] {
            var previous: Float = -1
            for step in 0...20 {
                let x = Float(step) / 20
                let conf = Calibrator.confidence(c.score(.init(logP: -1, base: .init(itemCount: 20), cosine: x, coverage: 0.8)))
                #expect(conf >= 0 && conf <= 1)
                #expect(conf >= previous)
                previous = conf
            }
            previous = -1
            for step in 0...20 {
                let p = max(Float(step) / 20, 1e-6)
                let conf = Calibrator.confidence(c.score(.init(logP: logf(p), base: .init(itemCount: 20), cosine: 0.5, coverage: 0.8)))
                #expect(conf >= previous)
                previous = conf
            }
        }
        #expect(Calibrator.confidence(.infinity) == 1)
        #expect(Calibrator.confidence(-.infinity) == 0)
        #expect(Calibrator.confidence(.nan) == 0)
        #expect(Calibrator.confidence(80) <= 1 && Calibrator.confidence(-80) >= 0)
    }

    @Test func fitRecoversAKnownProbabilityAndKeepsMonotoneSigns() {
        // Labels drawn with P(right) = sigmoid(-4 + 8·cosine): the fit must find about that.
        var rng = SeededGenerator(seed: 3)
        var examples: [Calibrator.Example] = []
        for _ in 0..<4000 {
            let cosine = Float.random(in: 0...1, using: &rng)
            let p = 1 / (1 + expf(-(-4 + 8 * cosine)))
            examples.append(.init(signals: .init(logP: -1, base: .init(itemCount: 10), cosine: cosine, coverage: 1), label: Float.random(in: 0..<1, using: &rng) < p))
        }
        let fit = Calibrator.fit(examples, priorWeight: 0.01)
        for cosine: Float in [0.2, 0.5, 0.8] {
            let expected = 1 / (1 + expf(-(-4 + 8 * cosine)))
            let got = Calibrator.confidence(fit.score(.init(logP: -1, base: .init(itemCount: 10), cosine: cosine, coverage: 1)))
            #expect(abs(got - expected) < 0.06, "cosine \(cosine): \(got) vs \(expected)")
        }
        // Data that says "more cosine, less right" cannot make the confidence decrease.
        let inverted = examples.map { Calibrator.Example(signals: $0.signals, label: !$0.label) }
        let c = Calibrator.fit(inverted, priorWeight: 0.01)
        #expect(c.coefficients.dropFirst().allSatisfy { $0 >= 0 })
        #expect(Calibrator.fit([]) == Calibrator.prior)
    }

    /// The signals mean the same whatever the number of items: no evidence (the uniform
    /// probability) gives lift and excess 0, certainty gives 1, on 5 items as on 5,000.
    @Test func signalsAreClassCountInvariant() {
        for count in [2, 5, 60, 5000] {
            let base = Calibrator.BaseSize(itemCount: count)
            let uniform = Calibrator.Signals(logP: -logf(Float(count)), base: base, cosine: 0.5, coverage: 1)
            #expect(abs(uniform.x[1]) < 1e-5 && abs(uniform.x[2]) < 1e-5, "\(count): \(uniform.x)")
            let certain = Calibrator.Signals(logP: 0, base: base, cosine: 0.5, coverage: 1)
            #expect(abs(certain.x[1] - 1) < 1e-5 && abs(certain.x[2] - 1) < 1e-5, "\(count): \(certain.x)")
            #expect(abs(certain.x[5] - 0.5) < 1e-5)
        }
        // One item: its probability is 1 without any evidence, so the nearest question's
        // cosine stands in for the model signals.
        let single = Calibrator.Signals(logP: 0, base: .init(itemCount: 1), cosine: 0.7, coverage: 1)
        #expect(single.x[1] == 0.7 && single.x[2] == 0.7 && single.x[3] == 0.7)
        #expect(abs(single.x[5] - 0.49) < 1e-6)
    }

    /// The bindings' 8-question base: an unrelated question must fall back even though the
    /// softmax over 5 items gives its best item half of the mass (issue 6), while a stored
    /// question is still answered with near-certainty.
    @Test func unrelatedQuestionFallsBackOnATinyBase() throws {
        let engine = try Engine.build(KnowledgeBase(items: [
            KnowledgeItem(id: "conges", questions: ["comment poser des congés", "je veux prendre des vacances"]),
            KnowledgeItem(id: "badge", questions: ["j'ai perdu mon badge", "badge perdu que faire"]),
            KnowledgeItem(id: "salaire", questions: ["quand est versé le salaire", "date de paiement de la paie"]),
            KnowledgeItem(id: "teletravail", questions: ["combien de jours de télétravail par semaine"]),
            KnowledgeItem(id: "mutuelle", questions: ["comment adhérer à la mutuelle"]),
        ]))
        let sky = try engine.match("quelle est la couleur du ciel")
        #expect(sky.decision == .fallback, "\(sky)")
        #expect((sky.matches.first?.score ?? 0) < DecisionSettings().suggestionFloor, "\(sky)")
        let verbatim = try engine.match("j'ai perdu mon badge")
        #expect(verbatim.decision == .answer)
        #expect(verbatim.matches.first?.id == "badge")
        #expect((verbatim.matches.first?.score ?? 0) >= 0.95, "\(verbatim)")
    }

    /// Issue 12: a one-item base fell back on its own verbatim question (confidence 0.03),
    /// since one item's probability is 1 whatever the question.
    @Test func oneItemBaseAnswersItsOwnQuestionAndNothingElse() throws {
        for questions in [["badge perdu"], ["badge perdu", "j'ai perdu mon badge d'accès"]] {
            let engine = try Engine.build(KnowledgeBase(items: [KnowledgeItem(id: "badge", questions: questions)]))
            let verbatim = try engine.match("badge perdu")
            #expect(verbatim.decision == .answer, "\(verbatim)")
            #expect(verbatim.matches.first?.id == "badge")
            #expect((verbatim.matches.first?.score ?? 0) >= 0.95, "\(verbatim)")
            let sky = try engine.match("quelle est la couleur du ciel")
            #expect(sky.decision == .fallback, "\(sky)")
            let near = try engine.match("perdu mon badge")
            #expect(near.matches.first?.id == "badge", "\(near)")
        }
        // Two items: the verbatim question still wins clearly.
        let two = try Engine.build(KnowledgeBase(items: [KnowledgeItem(id: "badge", questions: ["badge perdu"]),
                                                         KnowledgeItem(id: "conges", questions: ["poser des congés"])]))
        let verbatim = try two.match("badge perdu")
        #expect(verbatim.decision == .answer, "\(verbatim)")
        #expect(verbatim.matches.first?.id == "badge")
    }

    /// Issue 12: when every item has one question there is nothing to hold out, and the
    /// model knows nothing the nearest question does not: items rank by the nearest
    /// question, with the confidence fitted for that case.
    @Test func singleQuestionBasesRankByTheNearestQuestion() throws {
        let items = [
            KnowledgeItem(id: "conges", questions: ["comment poser des congés"]),
            KnowledgeItem(id: "badge", questions: ["j'ai perdu mon badge"]),
            KnowledgeItem(id: "salaire", questions: ["quand est versé le salaire"]),
            KnowledgeItem(id: "teletravail", questions: ["combien de jours de télétravail par semaine"]),
            KnowledgeItem(id: "mutuelle", questions: ["comment adhérer à la mutuelle"]),
        ]
        let engine = try Engine.build(KnowledgeBase(items: items))
        #expect(engine.image.model?.calibrator == .singleQuestion)
        var cosineOnly = LearningOptions()
        cosineOnly.enabled = false
        let cosine = try Engine.build(KnowledgeBase(items: items), learning: cosineOnly)
        for q in ["poser une semaine de congés", "badge", "salaire versé quand", "jours de télétravail", "mutuelle santé"] {
            let learned = try engine.match(q), nearest = try cosine.match(q)
            // The cosine path lists only items with a positive cosine; the others follow at 0.
            #expect(learned.matches.prefix(nearest.matches.count).map(\.id) == nearest.matches.map(\.id), "\(q)")
            // The confidence is the fitted function of the cosine.
            for (l, c) in zip(learned.matches, nearest.matches) {
                let expected = Calibrator.confidence(-3.27 + 6.25 * c.score)
                #expect(abs(l.score - expected) < 1e-3, "\(q): \(l.score) vs \(expected)")
            }
        }
        let verbatim = try engine.match("j'ai perdu mon badge")
        #expect(verbatim.decision == .answer && verbatim.matches.first?.id == "badge", "\(verbatim)")
        #expect(try engine.match("quelle est la couleur du ciel").decision == .fallback)
        // One more question for one item: the build calibrates by cross-validation again,
        // also when it warm-starts from the single-question index.
        var more = items
        more[0].questions.append("je veux prendre des vacances")
        let cold = try Engine.build(KnowledgeBase(items: more))
        #expect(cold.image.model?.calibrator.isSingleQuestion == false)
        let warm = try Engine.build(KnowledgeBase(items: more), warmStart: engine)
        #expect(warm.image.model?.calibrator.isSingleQuestion == false)
        #expect(warm.image.model?.calibrator == cold.image.model?.calibrator)
        // A host's embeddings keep the model, which is what uses them.
        let vectors = KnowledgeBase(items: items.enumerated().map { i, item in
            var item = item
            item.questionVectors = [(0..<5).map { $0 == i ? 1 : 0 }]
            return item
        })
        #expect(try Engine.build(vectors).image.model?.calibrator.isSingleQuestion == false)
    }

    @Test func engineConfidencesAreSortedWithinUnitIntervalAndRiseTowardsAStoredQuestion() throws {
        let engine = try TestKnowledgeBase.engine()
        let r = try engine.match("congés télétravail salaire", options: MatchOptions(topK: 10))
        #expect(!r.matches.isEmpty)
        for (a, b) in zip(r.matches, r.matches.dropFirst()) { #expect(a.score >= b.score) }
        for m in r.matches { #expect(m.score > 0 && m.score <= 1) }
        // Closer and closer to "date de versement de la paie".
        let steps = ["versement", "date de versement", "date de versement de la", "date de versement de la paie"]
        var previous: Float = 0
        for q in steps {
            let m = try #require(try engine.match(q).matches.first)
            #expect(m.id == "salaire", "\(q)")
            #expect(m.score >= previous - 1e-6, "\(q): \(m.score) after \(previous)")
            previous = m.score
        }
    }

    /// Held-out questions of a synthetic base: answered precision at the default settings,
    /// answer rate, and the mean confidence of the answered ones.
    static func heldOut(itemCount: Int, seed: UInt64) throws -> (precision: Double, answerRate: Double, meanConfidence: Double) {
        var base = SyntheticBase(itemCount: itemCount, questionsPerItem: 6, fillerCount: 60, seed: seed)
        let engine = try Engine.build(base.knowledgeBase)
        var answered = 0, right = 0, total = 0
        var confidence = 0.0
        for item in 0..<itemCount {
            for _ in 0..<max(1, 200 / itemCount) {
                // A new question: one keyword among fresh filler.
                let q = base.sentence(keyword: base.keywords[item][item % 2], fillerWords: 4)
                let r = try engine.match(q)
                total += 1
                if r.decision == .answer {
                    answered += 1
                    confidence += Double(r.matches[0].score)
                    if r.matches[0].id == "item\(item)" { right += 1 }
                }
            }
        }
        return (answered == 0 ? 1 : Double(right) / Double(answered), Double(answered) / Double(total),
                answered == 0 ? 0 : confidence / Double(answered))
    }

    @Test func calibrationBehavesAlikeOnSmallAndLargerBases() throws {
        let small = try Self.heldOut(itemCount: 20, seed: 21)
        let large = try Self.heldOut(itemCount: 120, seed: 22)
        // Alike: the same default threshold answers a similar share, as precisely, on both.
        #expect(abs(small.answerRate - large.answerRate) < 0.1, "\(small) vs \(large)")
        for (name, r) in [("20 items", small), ("120 items", large)] {
            #expect(r.precision >= 0.9, "\(name): \(r)")
            #expect(r.answerRate >= 0.1, "\(name): \(r)")
            // Calibrated: answered questions are right about as often as their confidence says.
            #expect(abs(r.precision - r.meanConfidence) < 0.1, "\(name): \(r)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
