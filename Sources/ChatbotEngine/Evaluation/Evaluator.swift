import Glibc

/// Accuracy and latency of an engine on a labelled set.
public struct EvaluationReport: Sendable {
    public var count: Int
    /// Share of questions whose best item is the expected one.
    public var top1: Double
    public var top3: Double
    /// Mean reciprocal rank of the expected item among the first `rankDepth` items (0 beyond).
    public var mrr: Double
    /// Share of questions answered (decision `answer`) at the engine's settings.
    public var answerRate: Double
    /// Share of answered questions whose answer is the expected item (1 when none is answered).
    public var answeredPrecision: Double
    /// Latency of `Engine.match` with the default top-k, in microseconds.
    public var p50LatencyMicroseconds: Double
    public var p99LatencyMicroseconds: Double
    public var rankDepth: Int
    /// Per question: expected id, best id, best score, rank of the expected item (nil if not
    /// in the first `rankDepth`), and the decision at the engine's settings.
    public var outcomes: [Outcome]

    public struct Outcome: Sendable {
        public var expectedID: String
        public var question: String
        public var predictedID: String?
        public var score: Float
        public var margin: Float
        public var rank: Int?
        public var decision: Decision
    }

    /// One row of a threshold sweep.
    public struct SweepRow: Sendable {
        public var threshold: Float
        /// Share of all questions answered at this threshold.
        public var answerRate: Double
        /// Share of answered questions answered correctly.
        public var precision: Double
        /// Share of all questions answered wrongly.
        public var falseAnswerRate: Double
    }

    /// Re-decides every question at each threshold (keeping the engine's ambiguity margin).
    public func sweep(thresholds: [Float], margin: Float) -> [SweepRow] {
        thresholds.map { t in
            var answered = 0, right = 0
            for o in outcomes where o.predictedID != nil && o.score >= t && o.margin >= margin {
                answered += 1
                if o.predictedID == o.expectedID { right += 1 }
            }
            let n = Double(max(count, 1))
            return SweepRow(threshold: t, answerRate: Double(answered) / n,
                            precision: answered == 0 ? 1 : Double(right) / Double(answered),
                            falseAnswerRate: Double(answered - right) / n)
        }
    }
}

public enum Evaluator {
    /// Asks every question of `set` and scores the answers.
    /// `queryVectors`, when given, has one row per example (hybrid matching).
    public static func evaluate(_ engine: Engine, on set: LabelledSet, queryVectors: [[Float]]? = nil,
                                rankDepth: Int = 10, progress: ((Int, Int) -> Void)? = nil) throws(EngineError) -> EvaluationReport {
        if let v = queryVectors, v.count != set.examples.count {
            throw .invalidArgument("query vectors have \(v.count) rows, the labelled set has \(set.examples.count) questions")
        }
        let depth = max(1, min(rankDepth, MatchOptions.maxTopK))
        var outcomes: [EvaluationReport.Outcome] = []
        var latencies: [Double] = []
        var top1 = 0, top3 = 0, answered = 0, answeredRight = 0
        var reciprocal = 0.0
        for (i, example) in set.examples.enumerated() {
            let vector = queryVectors?[i]
            // Timed call: what a host does, at the default top-k.
            let t0 = monotonicNanoseconds()
            _ = try engine.match(example.question, options: MatchOptions(queryVector: vector))
            latencies.append(Double(monotonicNanoseconds() - t0) / 1000)
            // Ranking call: deep enough for MRR.
            let result = try engine.match(example.question, options: MatchOptions(topK: depth, queryVector: vector))
            let rank = result.matches.firstIndex { $0.id == example.expectedID }.map { $0 + 1 }
            if rank == 1 { top1 += 1 }
            if let r = rank, r <= 3 { top3 += 1 }
            if let r = rank { reciprocal += 1 / Double(r) }
            if result.decision == .answer {
                answered += 1
                if rank == 1 { answeredRight += 1 }
            }
            let best = result.matches.first
            let second = result.matches.count > 1 ? result.matches[1].score : 0
            outcomes.append(.init(expectedID: example.expectedID, question: example.question, predictedID: best?.id,
                                  score: best?.score ?? 0, margin: (best?.score ?? 0) - second, rank: rank,
                                  decision: result.decision))
            progress?(i + 1, set.examples.count)
        }
        latencies.sort()
        let n = Double(set.examples.count)
        return EvaluationReport(
            count: set.examples.count, top1: Double(top1) / n, top3: Double(top3) / n, mrr: reciprocal / n,
            answerRate: Double(answered) / n,
            answeredPrecision: answered == 0 ? 1 : Double(answeredRight) / Double(answered),
            p50LatencyMicroseconds: percentile(latencies, 0.50), p99LatencyMicroseconds: percentile(latencies, 0.99),
            rankDepth: depth, outcomes: outcomes)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))
        return sorted[index]
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
