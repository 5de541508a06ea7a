import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport
@testable import ChatbotEvaluation
import Plots

@Suite struct EvaluationTests {
    func parse(_ s: String) throws(ChatbotError) -> LabelledSet { try LabelledSet.parse(bytes: Array(s.utf8), fileName: "dev.tsv") }

    @Test func parsesLabelledLinesAndSkipsBlankOnes() throws {
        let set = try parse("conges\tposer des congés\n\nsalaire\tpaie versée quand\r\n")
        #expect(set.examples.count == 2)
        #expect(set.examples[1].expectedID == "salaire")
        #expect(set.examples[1].question == "paie versée quand")
        #expect(set.examples[1].line == 3)
    }

    @Test func malformedLinesNameFileAndLine() {
        let cases: [(String, Int, String)] = [
            ("a\tb\nno tab here\n", 2, "tab-separated"),
            ("a\tb\tc\n", 1, "tab-separated"),
            ("\tquestion\n", 1, "empty expected id"),
            ("a\t  \n", 1, "empty question"),
            ("", 0, "no labelled question"),
        ]
        for (text, line, message) in cases {
            do throws(ChatbotError) { _ = try parse(text); Issue.record("accepted: \(text)") } catch {
                #expect(error.location?.file == "dev.tsv")
                #expect(error.location?.line == line, "\(error)")
                #expect(error.message.contains(message), "\(error)")
            }
        }
        do throws(ChatbotError) { _ = try LabelledSet.parse(bytes: [0x61, 0x09, 0xFF, 0x0A], fileName: "x.tsv"); Issue.record("accepted") } catch {
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test func metricsOnAKnownSet() throws {
        let engine = try TestKnowledgeBase.engine()
        let set = try parse("""
        conges\tComment poser des congés ?
        salaire\tQuand le salaire est-il versé ?
        mutuelle\tComment poser des congés ?
        teletravail\tzzzz qqqq
        """)
        let r = try Evaluator.evaluate(engine, on: set)
        #expect(r.count == 4)
        #expect(r.top1 == 0.5)
        #expect(r.answerRate == 0.75)
        #expect(abs(r.answeredPrecision - 2.0 / 3.0) < 1e-9)
        #expect(r.mrr >= 0.5 && r.mrr < 1)
        #expect(r.p50LatencyMicroseconds > 0)
        let sweep = r.sweep(thresholds: [0, 0.99, 1.01], margin: 0)
        #expect(sweep[2].answerRate == 0)
        #expect(sweep[2].precision == 1)
        #expect(abs(sweep[0].falseAnswerRate - 0.25) < 1e-9)
    }

    @Test func queryVectorCountMustMatch() throws {
        let engine = try TestKnowledgeBase.engine()
        let set = try parse("conges\tcongés\n")
        #expect(throws: ChatbotError.self) { try Evaluator.evaluate(engine, on: set, queryVectors: [[1], [2]]) }
    }
}
