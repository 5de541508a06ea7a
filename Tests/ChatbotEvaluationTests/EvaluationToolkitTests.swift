import ChatbotErrors
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ChatbotEngine
import EngineTestSupport
@testable import ChatbotEvaluation
import Plots

/// Hand-made outcome: `rank` 1 when `predicted == expected`, else absent.
private func outcome(_ expected: String, _ predicted: String?, score: Float = 0.9, decision: Decision = .answer,
                     question: String? = nil) -> EvaluationReport.Outcome {
    .init(expectedID: expected, question: question ?? "\(expected)→\(predicted ?? "-")", predictedID: predicted,
          score: predicted == nil ? 0 : score, margin: predicted == nil ? 0 : 0.5,
          rank: predicted == expected ? 1 : nil, decision: predicted == nil ? .fallback : decision)
}

private func report(_ outcomes: [EvaluationReport.Outcome]) -> EvaluationReport {
    EvaluationReport(outcomes: outcomes, latenciesMicroseconds: outcomes.map { _ in 1 }, rankDepth: 10)
}

private func labelled(_ rows: [(String, String)]) -> LabelledSet {
    LabelledSet(examples: rows.enumerated().map { LabelledSet.Example(expectedID: $1.0, question: $1.1, line: $0 + 1) })
}

@Suite struct OutOfScopeTests {
    @Test func outOfScopeQuestionsCountInAnswerRatesButNotInRanking() throws {
        // Cosine scores (no learned model): a verbatim question scores exactly 1, which the sweep below relies on.
        var cosineOnly = LearningOptions()
        cosineOnly.enabled = false
        let engine = try Engine.build(KnowledgeBase(items: TestKnowledgeBase.items), learning: cosineOnly)
        let set = try LabelledSet.parse(bytes: Array("""
        conges\tComment poser des congés ?
        salaire\tQuand le salaire est-il versé ?
        _none\tComment poser des congés ?
        _none\tzzzz qqqq
        """.utf8), fileName: "oos.tsv")
        #expect(set.examples.map(\.isOutOfScope) == [false, false, true, true])
        let r = try Evaluator.evaluate(engine, on: set)
        #expect(r.count == 4)
        #expect(r.inScopeCount == 2)
        #expect(r.outOfScopeCount == 2)
        #expect(r.top1 == 1)
        #expect(r.mrr == 1)
        #expect(r.outcomes[2].rank == nil)
        #expect(r.answerRate == 0.75)
        #expect(abs(r.answeredPrecision - 2.0 / 3.0) < 1e-9)
        #expect(r.falseAnswerRate == 0.25)
        #expect(r.outOfScopeFalseAnswerRate == 0.5)
        // At a threshold only exact questions reach, the answered out-of-scope question is the one false answer.
        let row = r.sweep(thresholds: [0.99], margin: 0)[0]
        #expect(row.answerRate == 0.75)
        #expect(row.falseAnswerRate == 0.25)
        #expect(abs(row.precision - 2.0 / 3.0) < 1e-9)
    }

    @Test func emptyDenominatorsGiveZeroNotNaN() {
        let onlyOut = report([outcome("_none", "a", decision: .suggest)])
        #expect(onlyOut.top1 == 0 && onlyOut.mrr == 0 && onlyOut.top3 == 0)
        #expect(onlyOut.answerRate == 0)
        #expect(onlyOut.answeredPrecision == 1)
        let empty = report([])
        #expect(empty.count == 0 && empty.top1 == 0 && empty.answerRate == 0 && empty.outOfScopeFalseAnswerRate == 0)
        #expect(empty.p50LatencyMicroseconds == 0)
    }
}

@Suite struct ItemMetricsTests {
    // a: 3 questions, b: 2, c: 3, plus one out-of-scope question (ignored by the table).
    let r = report([
        outcome("a", "a"), outcome("a", "a"), outcome("a", "b"),
        outcome("b", "b"), outcome("b", "b"),
        outcome("c", "a"), outcome("c", "a"), outcome("c", nil),
        outcome("_none", "a"),
    ])

    @Test func perItemPrecisionRecallF1OnAKnownCase() {
        let rows = r.itemMetrics()
        #expect(rows.map(\.id) == ["c", "a", "b"])  // worst F1 first
        let c = rows[0], a = rows[1], b = rows[2]
        #expect(c == ItemMetrics(id: "c", support: 3, predicted: 0, correct: 0))
        #expect(c.precision == 0 && c.recall == 0 && c.f1 == 0)
        #expect(a == ItemMetrics(id: "a", support: 3, predicted: 4, correct: 2))
        #expect(a.precision == 0.5)
        #expect(abs(a.recall - 2.0 / 3.0) < 1e-12)
        #expect(abs(a.f1 - 4.0 / 7.0) < 1e-12)
        #expect(b == ItemMetrics(id: "b", support: 2, predicted: 3, correct: 2))
        #expect(abs(b.f1 - 0.8) < 1e-12)
        #expect(abs(r.macroF1 - (0 + 4.0 / 7.0 + 0.8) / 3) < 1e-12)
        #expect(r.top1 == 0.5)  // 4 of the 8 in-scope questions
    }

    @Test func predictedOnlyItemsAppearWithZeroSupport() {
        let rows = report([outcome("a", "z"), outcome("a", "a")]).itemMetrics()
        let z = rows.first { $0.id == "z" }
        #expect(z == ItemMetrics(id: "z", support: 0, predicted: 1, correct: 0))
        #expect(z?.recall == 0 && z?.f1 == 0)
    }

    @Test func confusionsAreSortedByCountThenIds() {
        #expect(r.confusions() == [Confusion(expectedID: "c", predictedID: "a", count: 2),
                                   Confusion(expectedID: "a", predictedID: "b", count: 1)])
        let tie = report([outcome("y", "x"), outcome("b", "x"), outcome("b", "a"), outcome("b", "b")]).confusions()
        #expect(tie.map { "\($0.expectedID)>\($0.predictedID)" } == ["b>a", "b>x", "y>x"])
    }
}

@Suite struct CrossValidationTests {
    /// 3 ids with 10, 7 and 4 rows, the rows of one id not contiguous.
    var set: LabelledSet {
        var rows: [(String, String)] = []
        for i in 0..<10 {
            rows.append(("alpha", "question alpha numéro \(i)"))
            if i < 7 { rows.append(("beta", "question beta numéro \(i)")) }
            if i < 4 { rows.append(("gamma", "question gamma numéro \(i)")) }
        }
        return labelled(rows)
    }

    @Test func foldsAreStratifiedAndBalanced() throws {
        let s = set
        for k in [2, 3, 4, 5] {
            let folds = try CrossValidation.assignFolds(s, folds: k, seed: 42)
            #expect(folds.count == s.examples.count)
            #expect(folds.allSatisfy { (0..<k).contains($0) })
            let sizes = (0..<k).map { f in folds.count { $0 == f } }
            #expect(sizes.max()! - sizes.min()! <= 1, "k=\(k) sizes \(sizes)")
            for id in ["alpha", "beta", "gamma"] {
                let perFold = (0..<k).map { f in s.examples.indices.count { s.examples[$0].expectedID == id && folds[$0] == f } }
                #expect(perFold.max()! - perFold.min()! <= 1, "k=\(k) \(id) \(perFold)")
            }
        }
    }

    @Test func foldsAreDeterministicForASeedAndDifferAcrossSeeds() throws {
        let a = try CrossValidation.assignFolds(set, folds: 3, seed: 1)
        let b = try CrossValidation.assignFolds(set, folds: 3, seed: 1)
        let c = try CrossValidation.assignFolds(set, folds: 3, seed: 2)
        #expect(a == b)
        #expect(a != c)
        // The generator itself is pinned: same seed, same stream, on every platform.
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func badFoldCountsAreRejected() {
        for k in [-1, 0, 1, 22] {
            #expect(throws: ChatbotError.self) { try CrossValidation.assignFolds(set, folds: k, seed: 0) }
        }
        do {
            _ = try CrossValidation.assignFolds(set, folds: 22, seed: 0)
        } catch {
            #expect("\(error)".contains("at most 21"))
        }
    }

    @Test func knowledgeBaseFromRowsKeepsFirstRowAsMainQuestionAndDropsOutOfScope() {
        let kb = CrossValidation.knowledgeBase(from: labelled([("b", "b1"), ("a", "a1"), ("_none", "x"), ("b", "b2")]).examples)
        #expect(kb.items.map(\.id) == ["b", "a"])
        #expect(kb.items[0].questions == ["b1", "b2"])
    }

    @Test func runEvaluatesEveryRowOnceAndCountsAbsentIds() throws {
        let rows: [(String, String)] = [
            ("conges", "Comment poser des congés ?"), ("conges", "Je veux prendre des vacances"),
            ("conges", "demande de congé annuel"), ("conges", "poser un jour de congé"),
            ("salaire", "Quand le salaire est-il versé ?"), ("salaire", "date de versement de la paie"),
            ("salaire", "quel jour arrive la paie"),
            ("mutuelle", "Comment adhérer à la mutuelle ?"),
            ("_none", "quelle est la couleur du ciel"),
        ]
        let cv = try CrossValidation.run(labelled(rows), folds: 3, seed: 5)
        #expect(cv.overall.count == rows.count)
        #expect(cv.folds.map(\.count).reduce(0, +) == rows.count)
        #expect(cv.overall.outOfScopeCount == 1)
        // "mutuelle" has a single row: when it is held out, no training row knows the id.
        #expect(cv.absentFromTraining == 1)
        #expect(!cv.overall.outcomes.contains { $0.expectedID == "mutuelle" && $0.rank != nil })
        let mean = cv.foldTop1.reduce(0, +) / 3
        #expect(abs(cv.meanTop1 - mean) < 1e-12)
        let variance = cv.foldTop1.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 2
        #expect(abs(cv.stdTop1 - variance.squareRoot()) < 1e-12)
        // Same seed, same figures.
        let again = try CrossValidation.run(labelled(rows), folds: 3, seed: 5)
        #expect(again.assignment == cv.assignment)
        #expect(again.overall.outcomes == cv.overall.outcomes)
    }

    @Test func foldWithoutInScopeTrainingRowsIsAnError() {
        let rows = [("_none", "a"), ("_none", "b"), ("x", "c")]
        #expect(throws: ChatbotError.self) { try CrossValidation.run(labelled(rows), folds: 3, seed: 0) }
    }
}

@Suite struct AnswerComparisonTests {
    @Test func classifiesGainedLostAndChanged() throws {
        func numbered(_ xs: [EvaluationReport.Outcome]) -> EvaluationReport {
            report(xs.enumerated().map { i, o in var o = o; o.question = "q\(i)"; return o })
        }
        let old = numbered([
            outcome("a", "a"),                               // right → right: unchanged
            outcome("b", "a"),                               // wrong → right: gained
            outcome("c", "c"),                               // right → unanswered: lost
            outcome("d", "a"),                               // wrong a → wrong b: changed
            outcome("e", "a", decision: .suggest),           // no answer → no answer: unchanged
            outcome("_none", "a"),                           // answered out of scope → not answered: gained
            outcome("_none", "a", decision: .suggest),       // not answered → answered: lost
        ])
        let new = numbered([
            outcome("a", "a"), outcome("b", "b"), outcome("c", "c", decision: .suggest), outcome("d", "b"),
            outcome("e", "b", decision: .suggest), outcome("_none", "a", decision: .fallback), outcome("_none", "a"),
        ])
        let c = try AnswerComparison(old: old, new: new)
        #expect(c.count == 7)
        #expect(c.gained.map(\.index) == [1, 5])
        #expect(c.lost.map(\.index) == [2, 6])
        #expect(c.changed.map(\.index) == [3])
        #expect(c.lost[0].oldAnswer == "c" && c.lost[0].newAnswer == nil && c.lost[0].newDecision == .suggest)
        #expect(c.changed[0].oldAnswer == "a" && c.changed[0].newAnswer == "b")
        #expect(c.gained[1].question == "q5" && c.gained[1].expectedID == "_none")
        // Nothing changes against itself.
        let same = try AnswerComparison(old: old, new: old)
        #expect(same.gained.isEmpty && same.lost.isEmpty && same.changed.isEmpty)
    }

    @Test func reportsOnDifferentSetsAreRejected() {
        let a = report([outcome("a", "a")])
        #expect(throws: ChatbotError.self) { try AnswerComparison(old: a, new: report([])) }
        #expect(throws: ChatbotError.self) { try AnswerComparison(old: a, new: report([outcome("b", "a")])) }
    }
}

@Suite struct SweepExportTests {
    @Test func csvHasHeaderAndOneRowPerThreshold() {
        let r = report([outcome("a", "a", score: 0.8), outcome("b", "a", score: 0.4), outcome("_none", "b", score: 0.6),
                        outcome("c", nil)])
        let rows = r.sweep(thresholds: EvaluationReport.percentThresholds, margin: 0)
        let lines = SweepExport.csv(rows).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 103)  // header, 101 rows, final empty string after the last newline
        #expect(lines[0] == "threshold,answer_rate,precision,false_answer_rate")
        #expect(lines[1] == "0.00,0.750000,0.333333,0.500000")
        #expect(lines[42] == "0.41,0.500000,0.500000,0.250000")
        #expect(lines[62] == "0.61,0.250000,1.000000,0.000000")
        #expect(lines[101] == "1.00,0.000000,1.000000,0.000000")
        #expect(lines[102] == "")
    }

    @Test func thresholdsAreExactHundredths() {
        let t = EvaluationReport.percentThresholds
        #expect(t.count == 101 && t.first == 0 && t.last == 1)
        #expect(t[7] == Float(7) / 100)
    }

    @Test func fixedFormattingNeverUsesExponents() {
        #expect(formatFixed(0.00001, 6) == "0.000010")
        #expect(formatFixed(0, 2) == "0.00")
        #expect(formatFixed(-0.25, 1) == "-0.3")
        #expect(formatFixed(-0.0001, 2) == "0.00")
        #expect(formatFixed(1234.5, 0) == "1235")
        #expect(formatFixed(Double.nan, 2) == "nan")
    }
}

@Suite struct SweepPlotTests {
    let rows = report([outcome("a", "a", score: 0.8), outcome("b", "a", score: 0.4)])
        .sweep(thresholds: EvaluationReport.percentThresholds, margin: 0)

    @Test func svgHasThreeCurvesLegendAxesAndMarker() {
        let svg = SweepPlot.svg(rows, currentThreshold: 0.5, title: "Sweep <dev & kb>", subtitle: "2 questions")
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.occurrences(of: "<polyline") == 3)
        for id in ["answer-rate", "precision", "false-answer-rate"] { #expect(svg.contains("<polyline id=\"\(id)\"")) }
        for label in ["answer rate", "precision (of answers)", "false-answer rate", "threshold in force", "threshold 0.50"] {
            #expect(svg.contains(">\(label)</text>"), "\(label)")
        }
        #expect(svg.contains("Sweep &lt;dev &amp; kb&gt;"))
        #expect(svg.contains(">100%</text>") && svg.contains(">0.0</text>") && svg.contains(">1.0</text>"))
        #expect(svg.contains("stroke-dasharray"))
        // Figures at the threshold in force: one of the two questions (score 0.8) is answered, rightly.
        #expect(svg.contains(">at threshold 0.50</text>"))
        #expect(svg.contains(">answer rate: 50.0%</text>"))
        #expect(svg.contains(">precision: 100.0%</text>"))
        #expect(svg.contains(">false-answer rate: 0.0%</text>"))
        // 101 points per curve.
        let points = svg.split(separator: "\n").first { $0.contains("id=\"precision\"") }!
            .split(separator: "points=\"")[1].split(separator: "\"")[0].split(separator: " ")
        #expect(points.count == 101)
    }

    @Test func svgIsWellFormedXML() {
        let svg = SweepPlot.svg(rows, currentThreshold: 0.9, title: "t \u{1} & \"q\"")
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(counter.names.first == "svg")
        #expect(counter.names.count { $0 == "polyline" } == 3)
    }

    @Test func markerOutsideTheAxisIsLeftOut() {
        let svg = SweepPlot.svg(rows, currentThreshold: 1.5, title: "t")
        #expect(!svg.contains("current-threshold"))
        #expect(!svg.contains("at threshold"))
        #expect(svg.occurrences(of: "<polyline") == 3)
    }
}

private final class ElementCounter: NSObject, XMLParserDelegate {
    var names: [String] = []
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        names.append(elementName)
    }
}

extension String {
    /// Occurrences of `needle` (non-overlapping).
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
