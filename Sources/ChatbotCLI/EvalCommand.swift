import ArgumentParser
import ChatbotEngine

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate on a labelled set (expected_id<TAB>question per line): top-1, top-3, MRR, answer rate, precision, latency."
    )

    @Argument(help: "Index file, or a knowledge-base source compiled on the fly.")
    var indexOrSource: String

    @Argument(help: "Labelled questions: expected_id<TAB>question, no header.")
    var labelled: String

    @Flag(help: "Print exactly one JSON object.")
    var json = false

    @Option(help: "Synonyms file (only when compiling a source on the fly).")
    var synonyms: String?

    @Option(name: .customLong("query-vectors"), help: "Embeddings of the labelled questions (.npy), one row per question.")
    var queryVectors: String?

    func run() throws {
        let engine = try loadEngine(indexOrSource, synonymsPath: synonyms)
        let set = try LabelledSet.load(path: labelled)
        let vectors = try queryVectors.map(readNPYRows)
        let bar = ProgressBar(label: "eval")
        let report = try Evaluator.evaluate(engine, on: set, queryVectors: vectors) { bar.update($0, total: $1) }
        bar.finish()
        let thresholds = stride(from: Float(0), through: 0.951, by: 0.05).map { ($0 * 100).rounded() / 100 }
        let sweep = report.sweep(thresholds: thresholds, margin: engine.settings.ambiguityMargin)
        var out = OutputBuffer()
        if json {
            out.write(reportJSON(report))
        } else {
            out.write(reportText(report, sweep: sweep, settings: engine.settings))
        }
        out.write("\n")
        out.flush()
    }
}

func reportJSON(_ r: EvaluationReport) -> String {
    func f(_ x: Double) -> String { String((x * 1_000_000).rounded() / 1_000_000) }
    return "{\"count\":\(r.count),\"top1\":\(f(r.top1)),\"top3\":\(f(r.top3)),\"mrr\":\(f(r.mrr)),"
        + "\"answer_rate\":\(f(r.answerRate)),\"answered_precision\":\(f(r.answeredPrecision)),"
        + "\"p50_latency_us\":\(f(r.p50LatencyMicroseconds)),\"p99_latency_us\":\(f(r.p99LatencyMicroseconds))}"
}

func reportText(_ r: EvaluationReport, sweep: [EvaluationReport.SweepRow], settings: DecisionSettings) -> String {
    func pct(_ x: Double) -> String { pad(String((x * 1000).rounded() / 10), 6) }
    var s = """
    questions           \(r.count)
    top-1               \(fixed(r.top1))
    top-3               \(fixed(r.top3))
    MRR@\(r.rankDepth)              \(fixed(r.mrr))
    answer rate         \(fixed(r.answerRate))   (threshold \(settings.answerThreshold), margin \(settings.ambiguityMargin))
    answered precision  \(fixed(r.answeredPrecision))
    latency p50 / p99   \(fixed(r.p50LatencyMicroseconds, 1)) / \(fixed(r.p99LatencyMicroseconds, 1)) µs

    threshold sweep (margin \(settings.ambiguityMargin)):
    threshold  answered%  precision%  false-answer%

    """
    for row in sweep {
        s += "\(pad(fixed(Double(row.threshold), 2), 9))  \(pct(row.answerRate))     \(pct(row.precision))      \(pct(row.falseAnswerRate))\n"
    }
    return String(s.dropLast())
}

func fixed(_ x: Double, _ digits: Int = 4) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let v = (x * p).rounded() / p
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    }
    return s
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
