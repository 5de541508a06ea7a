import Testing
@testable import ChatbotEngine

@Suite struct CalibrationTests {
    @Test func confidenceIsAProbabilityAndMonotoneInEachSignal() {
        for c in [Calibrator.prior, Calibrator(coefficients: [-2.5, 0.6, 3.6, 2.7, 0.3])] {
            var previous: Float = -1
            for step in 0...20 {
                let x = Float(step) / 20
                let conf = Calibrator.confidence(c.score(logP: -1, p: 0.4, cosine: x, coverage: 0.8))
                #expect(conf >= 0 && conf <= 1)
                #expect(conf >= previous)
                previous = conf
            }
            previous = -1
            for step in 0...20 {
                let p = max(Float(step) / 20, 1e-6)
                let conf = Calibrator.confidence(c.score(logP: logf(p), p: p, cosine: 0.5, coverage: 0.8))
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
            examples.append(.init(features: SIMD4(-1, 0.3, cosine, 1), label: Float.random(in: 0..<1, using: &rng) < p))
        }
        let fit = Calibrator.fit(examples, priorWeight: 0.01)
        for cosine: Float in [0.2, 0.5, 0.8] {
            let expected = 1 / (1 + expf(-(-4 + 8 * cosine)))
            let got = Calibrator.confidence(fit.score(logP: -1, p: 0.3, cosine: cosine, coverage: 1))
            #expect(abs(got - expected) < 0.06, "cosine \(cosine): \(got) vs \(expected)")
        }
        // Data that says "more cosine, less right" cannot make the confidence decrease.
        let inverted = examples.map { Calibrator.Example(features: $0.features, label: !$0.label) }
        let c = Calibrator.fit(inverted, priorWeight: 0.01)
        #expect(c.coefficients[1] >= 0 && c.coefficients[2] >= 0 && c.coefficients[3] >= 0)
        #expect(Calibrator.fit([]) == Calibrator.prior)
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
