import ChatbotErrors
import ChatbotEngine
import Glibc

/// Accuracy and latency of an engine on a labelled set.
///
/// Questions labelled with ``LabelledSet/outOfScopeID`` ("should not be answered") count in
/// `count`, `answerRate`, `answeredPrecision` and the false-answer rates, but not in
/// `top1`, `top3` and `mrr`, whose denominator is `inScopeCount`.
public struct EvaluationReport: Sendable {
    /// Every question, in scope or not.
    public var count: Int
    /// Share of in-scope questions whose best item is the expected one.
    public var top1: Double
    public var top3: Double
    /// Mean reciprocal rank of the expected item among the first `rankDepth` items (0 beyond), in-scope questions.
    public var mrr: Double
    /// Share of all questions answered (decision `answer`) at the engine's settings.
    public var answerRate: Double
    /// Share of answered questions whose answer is the expected item (1 when none is answered).
    /// An answered out-of-scope question is a wrong answer.
    public var answeredPrecision: Double
    /// Latency of `Engine.match` with the default top-k, in microseconds.
    public var p50LatencyMicroseconds: Double
    public var p99LatencyMicroseconds: Double
    public var rankDepth: Int
    /// Per question: expected id, best id, best score, rank of the expected item (nil if not
    /// in the first `rankDepth`), and the decision at the engine's settings.
    public var outcomes: [Outcome]
    /// Questions with a real expected item.
    public var inScopeCount: Int
    /// Questions labelled ``LabelledSet/outOfScopeID``.
    public var outOfScopeCount: Int
    /// Share of all questions answered with a wrong item (out-of-scope answers included).
    public var falseAnswerRate: Double
    /// Share of out-of-scope questions that were answered anyway (0 when there are none).
    public var outOfScopeFalseAnswerRate: Double
    /// Every timed `match` call, in microseconds, sorted ascending (kept so that reports
    /// can be merged, e.g. over cross-validation folds).
    public var latenciesMicroseconds: [Double]

    public struct Outcome: Sendable, Equatable {
        public var expectedID: String
        public var question: String
        public var predictedID: String?
        public var score: Float
        public var margin: Float
        public var rank: Int?
        public var decision: Decision

        public init(expectedID: String, question: String, predictedID: String?, score: Float, margin: Float,
                    rank: Int?, decision: Decision) {
            self.expectedID = expectedID
            self.question = question
            self.predictedID = predictedID
            self.score = score
            self.margin = margin
            self.rank = rank
            self.decision = decision
        }

        /// The question should not be answered at all.
        public var isOutOfScope: Bool { expectedID == LabelledSet.outOfScopeID }

        /// What the host would show as *the* answer: the best item when the decision is `answer`, else nil.
        public var answeredID: String? { decision == .answer ? predictedID : nil }

        /// The host did the right thing: answered with the expected item, or did not answer an
        /// out-of-scope question.
        public var isHandledCorrectly: Bool { isOutOfScope ? answeredID == nil : answeredID == expectedID }
    }

    /// Computes every figure from per-question outcomes and timings, so that several runs
    /// (cross-validation folds) can be micro-averaged by concatenating them.
    public init(outcomes: [Outcome], latenciesMicroseconds: [Double], rankDepth: Int) {
        var top1 = 0, top3 = 0, answered = 0, answeredRight = 0, outOfScope = 0, outOfScopeAnswered = 0
        var reciprocal = 0.0
        for o in outcomes {
            if o.decision == .answer {
                answered += 1
                if !o.isOutOfScope && o.predictedID == o.expectedID { answeredRight += 1 }
            }
            if o.isOutOfScope {
                outOfScope += 1
                if o.decision == .answer { outOfScopeAnswered += 1 }
                continue
            }
            if o.rank == 1 { top1 += 1 }
            if let r = o.rank, r <= 3 { top3 += 1 }
            if let r = o.rank { reciprocal += 1 / Double(r) }
        }
        let inScope = outcomes.count - outOfScope
        // Empty denominators give 0 rather than NaN, which JSON cannot carry.
        func share(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        count = outcomes.count
        inScopeCount = inScope
        outOfScopeCount = outOfScope
        self.top1 = share(top1, inScope)
        self.top3 = share(top3, inScope)
        mrr = inScope == 0 ? 0 : reciprocal / Double(inScope)
        answerRate = share(answered, outcomes.count)
        answeredPrecision = answered == 0 ? 1 : share(answeredRight, answered)
        falseAnswerRate = share(answered - answeredRight, outcomes.count)
        outOfScopeFalseAnswerRate = share(outOfScopeAnswered, outOfScope)
        let sorted = latenciesMicroseconds.sorted()
        self.latenciesMicroseconds = sorted
        p50LatencyMicroseconds = Evaluator.percentile(sorted, 0.50)
        p99LatencyMicroseconds = Evaluator.percentile(sorted, 0.99)
        self.rankDepth = rankDepth
        self.outcomes = outcomes
    }

    /// One row of a threshold sweep.
    public struct SweepRow: Sendable, Equatable {
        public var threshold: Float
        /// Share of all questions answered at this threshold.
        public var answerRate: Double
        /// Share of answered questions answered correctly.
        public var precision: Double
        /// Share of all questions answered wrongly (answered out-of-scope questions included).
        public var falseAnswerRate: Double
    }

    /// Re-decides every question at each threshold (keeping the engine's ambiguity margin).
    public func sweep(thresholds: [Float], margin: Float) -> [SweepRow] {
        thresholds.map { t in
            var answered = 0, right = 0
            for o in outcomes where o.predictedID != nil && o.score >= t && o.margin >= margin {
                answered += 1
                if !o.isOutOfScope && o.predictedID == o.expectedID { right += 1 }
            }
            let n = Double(max(count, 1))
            return SweepRow(threshold: t, answerRate: Double(answered) / n,
                            precision: answered == 0 ? 1 : Double(right) / Double(answered),
                            falseAnswerRate: Double(answered - right) / n)
        }
    }

    /// Thresholds 0, 0.01, …, 1 (exact hundredths), the grid of `--sweep-csv` and `--plot`.
    public static var percentThresholds: [Float] { (0...100).map { Float($0) / 100 } }
}

public enum Evaluator {
    /// Asks every question of `set` and scores the answers.
    /// `queryVectors`, when given, has one row per example (hybrid matching).
    public static func evaluate(_ engine: Engine, on set: LabelledSet, queryVectors: [[Float]]? = nil,
                                rankDepth: Int = 10, progress: ((Int, Int) -> Void)? = nil) throws(ChatbotError) -> EvaluationReport {
        if let v = queryVectors, v.count != set.examples.count {
            throw .invalidArgument("query vectors have \(v.count) rows, the labelled set has \(set.examples.count) questions")
        }
        let depth = max(1, min(rankDepth, MatchOptions.maxTopK))
        var outcomes: [EvaluationReport.Outcome] = []
        var latencies: [Double] = []
        outcomes.reserveCapacity(set.examples.count)
        latencies.reserveCapacity(set.examples.count)
        for (i, example) in set.examples.enumerated() {
            let vector = queryVectors?[i]
            // Timed call: what a host does, at the default top-k.
            let t0 = monotonicNanoseconds()
            _ = try engine.match(example.question, options: MatchOptions(queryVector: vector))
            latencies.append(Double(monotonicNanoseconds() - t0) / 1000)
            // Ranking call: deep enough for MRR; the reply is not needed to score it.
            var options = MatchOptions(topK: depth, queryVector: vector)
            options.buildsReply = false
            let result = try engine.match(example.question, options: options)
            outcomes.append(outcome(of: example, result: result))
            progress?(i + 1, set.examples.count)
        }
        return EvaluationReport(outcomes: outcomes, latenciesMicroseconds: latencies, rankDepth: depth)
    }

    static func outcome(of example: LabelledSet.Example, result: MatchResult) -> EvaluationReport.Outcome {
        // Out-of-scope questions have no rank: no item may carry the reserved id.
        let rank = example.isOutOfScope ? nil : result.matches.firstIndex { $0.id == example.expectedID }.map { $0 + 1 }
        let best = result.matches.first
        let second = result.matches.count > 1 ? result.matches[1].score : 0
        return .init(expectedID: example.expectedID, question: example.question, predictedID: best?.id,
                     score: best?.score ?? 0, margin: (best?.score ?? 0) - second, rank: rank,
                     decision: result.decision)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))
        return sorted[index]
    }
}
