import ChatbotErrors
import ChatbotEngine

/// k-fold cross-validation of one labelled file used as both knowledge base and test set.
///
/// Rows are grouped by expected id; each group is shuffled with the seed and dealt round-robin
/// over the folds, the deal continuing from one group to the next, so every id is spread evenly
/// and fold sizes differ by at most one. For each fold, an engine is built from the other
/// folds' rows (rows of one id make one item, the first of them in file order being the main
/// question) and asked the held-out questions.
///
/// Out-of-scope rows (``LabelledSet/outOfScopeID``) are dealt like the others but never enter a
/// knowledge base. A held-out question whose id has no row in the training folds (an id with
/// fewer rows than folds) still counts, as a miss: the figures stay comparable with a plain
/// evaluation, and ``CrossValidationReport/absentFromTraining`` says how many there were.
public enum CrossValidation {
    /// Fold (0..<k) of every example of `set`, in example order.
    public static func assignFolds(_ set: LabelledSet, folds k: Int, seed: UInt64) throws(ChatbotError) -> [Int] {
        guard k >= 2 else { throw .invalidArgument("cross-validation needs at least 2 folds, got \(k)") }
        guard k <= set.examples.count else {
            throw .invalidArgument("cannot make \(k) folds from \(set.examples.count) labelled rows: use at most \(set.examples.count) folds")
        }
        var groupOf: [String: Int] = [:]
        var groups: [[Int]] = []
        for (i, e) in set.examples.enumerated() {
            if let g = groupOf[e.expectedID] {
                groups[g].append(i)
            } else {
                groupOf[e.expectedID] = groups.count
                groups.append([i])
            }
        }
        var rng = SeededGenerator(seed: seed)
        var fold = [Int](repeating: 0, count: set.examples.count)
        var next = 0
        for g in groups {
            for i in g.shuffled(using: &rng) {
                fold[i] = next
                next = (next + 1) % k
            }
        }
        return fold
    }

    /// The knowledge base made of `examples` (out-of-scope rows left out), ids in order of first row.
    public static func knowledgeBase(from examples: [LabelledSet.Example]) -> KnowledgeBase {
        var order: [String] = []
        var questions: [String: [String]] = [:]
        for e in examples where !e.isOutOfScope {
            if questions[e.expectedID] == nil { order.append(e.expectedID) }
            questions[e.expectedID, default: []].append(e.question)
        }
        return KnowledgeBase(items: order.map { KnowledgeItem(id: $0, questions: questions[$0]!) })
    }

    /// Builds and evaluates one engine per fold. `progress` receives (fold done, folds).
    public static func run(_ set: LabelledSet, folds k: Int, seed: UInt64, synonyms: [[String]] = [],
                           options: FeatureOptions = FeatureOptions(), settings: DecisionSettings = DecisionSettings(),
                           rankDepth: Int = 10, progress: ((Int, Int) -> Void)? = nil) throws(ChatbotError) -> CrossValidationReport {
        let assignment = try assignFolds(set, folds: k, seed: seed)
        var outcomes: [EvaluationReport.Outcome] = []
        var latencies: [Double] = []
        var foldReports: [EvaluationReport] = []
        var absent = 0
        for f in 0..<k {
            var train: [LabelledSet.Example] = [], test: [LabelledSet.Example] = []
            for (i, e) in set.examples.enumerated() {
                if assignment[i] == f { test.append(e) } else { train.append(e) }
            }
            let kb = knowledgeBase(from: train)
            guard !kb.items.isEmpty else {
                throw .invalidArgument("fold \(f + 1) of \(k) has no in-scope training row: the file needs more labelled questions")
            }
            let known = Set(kb.items.map(\.id))
            absent += test.count { !$0.isOutOfScope && !known.contains($0.expectedID) }
            let engine = try Engine.build(kb, synonyms: synonyms, options: options, settings: settings)
            let report = try Evaluator.evaluate(engine, on: LabelledSet(examples: test), rankDepth: rankDepth)
            outcomes += report.outcomes
            latencies += report.latenciesMicroseconds
            foldReports.append(report)
            progress?(f + 1, k)
        }
        let depth = foldReports.first?.rankDepth ?? rankDepth
        return CrossValidationReport(
            overall: EvaluationReport(outcomes: outcomes, latenciesMicroseconds: latencies, rankDepth: depth),
            folds: foldReports, assignment: assignment, seed: seed, absentFromTraining: absent)
    }
}

/// The result of ``CrossValidation/run(_:folds:seed:synonyms:options:settings:rankDepth:progress:)``.
public struct CrossValidationReport: Sendable {
    /// Micro-averaged over folds: every held-out question counts once (outcomes in fold order).
    public var overall: EvaluationReport
    /// One report per fold, on its held-out questions.
    public var folds: [EvaluationReport]
    /// Fold of every labelled row, in file order.
    public var assignment: [Int]
    public var seed: UInt64
    /// Held-out in-scope questions whose expected id had no row in the training folds (counted as misses).
    public var absentFromTraining: Int

    /// Top-1 of each fold (over its in-scope questions).
    public var foldTop1: [Double] { folds.map(\.top1) }
    public var meanTop1: Double { foldTop1.isEmpty ? 0 : foldTop1.reduce(0, +) / Double(foldTop1.count) }
    /// Sample standard deviation (n − 1) of the per-fold top-1.
    public var stdTop1: Double {
        let xs = foldTop1
        guard xs.count > 1 else { return 0 }
        let m = meanTop1
        return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
    }
}
