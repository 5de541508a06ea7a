import ArgumentParser
import ChatbotEngine
import ChatbotEvaluation
import FrenchText
import Plots

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate on a labelled set (expected_id<TAB>question per line): top-1, top-3, MRR, answer rate, precision, latency.",
        discussion: """
        Three forms:
          eval INDEX_OR_SOURCE LABELLED.tsv            evaluate a base on a labelled set
          eval LABELLED.tsv --folds K [--seed S]       k-fold cross-validation of one labelled file
                                                       (it is both the knowledge base and the test set)
          eval --compare OLD NEW LABELLED.tsv          questions whose answer changed between two bases

        The expected id `_none` marks a question that should not be answered (out of scope).
        Exit status: 0 on success, 1 on error, 64 on bad usage, 3 with --fail-on-loss when a question was lost.
        """
    )

    @Argument(help: ArgumentHelp("Files: INDEX_OR_SOURCE LABELLED.tsv; LABELLED.tsv with --folds; OLD NEW LABELLED.tsv with --compare.",
                                 valueName: "files"))
    var files: [String] = []

    @Flag(help: "Print exactly one JSON object.")
    var json = false

    @Option(help: "Synonyms file (only when compiling a source on the fly, or with --folds).")
    var synonyms: String?

    @Option(name: .customLong("embedding-weight"),
            help: "Weight of the embedding cosine in the hybrid score, 0–1 (overrides the index's setting, default 0.5).")
    var embeddingWeight: Float?

    @Option(name: .customLong("query-vectors"),
            help: "Embeddings of the labelled questions (.npy), one row per question. With --compare, given to each base that stores embeddings.")
    var queryVectors: String?

    @Option(help: "Cross-validate LABELLED.tsv with this many folds (at least 2, at most the number of rows).")
    var folds: Int?

    @Option(help: "Seed of the fold shuffle (with --folds).")
    var seed: UInt64 = 1

    @Option(help: "Rows of the per-item table and confusion list in the text output (the JSON has them all).")
    var details: Int = 10

    @Option(name: .customLong("sweep-csv"), help: "Write the threshold sweep (0 to 1 by 0.01) to this CSV file.")
    var sweepCSV: String?

    @Option(help: "Draw the threshold sweep as an SVG chart in this file.")
    var plot: String?

    @Flag(help: "List the questions whose answer changed between two versions of a knowledge base (OLD NEW LABELLED.tsv).")
    var compare = false

    @OptionGroup(title: "Decision thresholds (default: the index's)")
    var decision: DecisionOptions

    @Flag(name: .customLong("fail-on-loss"), help: "With --compare: exit with status 3 when a question is lost.")
    var failOnLoss = false

    func validate() throws {
        if compare && folds != nil { throw ValidationError("--compare and --folds cannot be combined") }
        if compare {
            guard files.count == 3 else {
                throw ValidationError("--compare expects 3 files: OLD_INDEX_OR_SOURCE NEW_INDEX_OR_SOURCE LABELLED.tsv, got \(files.count)")
            }
            if sweepCSV != nil || plot != nil { throw ValidationError("--sweep-csv and --plot do not apply to --compare") }
        } else if let k = folds {
            guard files.count == 1 else {
                throw ValidationError("--folds expects one file, LABELLED.tsv (used as both knowledge base and test set), got \(files.count)")
            }
            guard k >= 2 else { throw ValidationError("--folds must be at least 2, got \(k)") }
            if queryVectors != nil { throw ValidationError("--query-vectors does not apply to --folds") }
            if !decision.isEmpty { throw ValidationError("decision thresholds do not apply to --folds (each fold's index keeps the defaults)") }
        } else {
            guard files.count == 2 else {
                throw ValidationError("expected 2 files: INDEX_OR_SOURCE LABELLED.tsv, got \(files.count) (see --folds and --compare for the other forms)")
            }
        }
        if failOnLoss && !compare { throw ValidationError("--fail-on-loss applies to --compare only") }
        guard details >= 0 else { throw ValidationError("--details must be 0 or more, got \(details)") }
    }

    func run() throws {
        if compare { return try runCompare() }
        if let k = folds { return try runFolds(k) }
        var engine = try withOverrides(loadEngine(files[0], synonymsPath: synonyms), embeddingWeight: embeddingWeight)
        if !decision.isEmpty { engine = try engine.withSettings(decision.applied(to: engine.settings)) }
        let set = try LabelledSet.load(path: files[1])
        let vectors = try queryVectors.map(readNPYRows)
        let bar = ProgressBar(label: "eval")
        let report = try Evaluator.evaluate(engine, on: set, queryVectors: vectors) { bar.update($0, total: $1) }
        bar.finish()
        try emit(report, settings: engine.settings, title: "Threshold sweep: \(baseName(files[1])) on \(baseName(files[0]))",
                 crossValidation: nil)
    }

    func runFolds(_ k: Int) throws {
        let set = try LabelledSet.load(path: files[0])
        var groups: [[String]] = []
        if let s = synonyms {
            let analyzer = Analyzer()
            groups = try SynonymTable.load(path: s) { analyzer.terms($0) }.groups
        }
        let bar = ProgressBar(label: "folds")
        let cv = try CrossValidation.run(set, folds: k, seed: seed, synonyms: groups) { bar.update($0, total: $1) }
        bar.finish()
        try emit(cv.overall, settings: DecisionSettings(),
                 title: "Threshold sweep: \(k)-fold cross-validation of \(baseName(files[0])) (seed \(seed))", crossValidation: cv)
    }

    /// Prints a report (single or cross-validated) and writes the requested exports.
    func emit(_ report: EvaluationReport, settings: DecisionSettings, title: String, crossValidation cv: CrossValidationReport?) throws {
        let textSweep = report.sweep(thresholds: stride(from: Float(0), through: 0.951, by: 0.05).map { ($0 * 100).rounded() / 100 },
                                     margin: settings.ambiguityMargin)
        if sweepCSV != nil || plot != nil {
            let fine = report.sweep(thresholds: EvaluationReport.percentThresholds, margin: settings.ambiguityMargin)
            if let path = sweepCSV { try writeTextFile(path, SweepExport.csv(fine)) }
            if let path = plot {
                var subtitle = "\(report.count) questions"
                if report.outOfScopeCount > 0 { subtitle += " (\(report.outOfScopeCount) out of scope)" }
                subtitle += ", top-1 \(fixed(report.top1)), ambiguity margin \(formatFixed(Double(settings.ambiguityMargin), 2))"
                try writeTextFile(path, SweepPlot.svg(fine, currentThreshold: settings.answerThreshold, title: title, subtitle: subtitle))
            }
        }
        var out = OutputBuffer()
        if json {
            out.write(reportJSON(report, settings: settings, crossValidation: cv))
        } else {
            if let cv { out.write(crossValidationText(cv) + "\n\n") }
            out.write(reportText(report, sweep: textSweep, settings: settings))
            out.write("\n\n" + detailsText(report, limit: details))
        }
        out.write("\n")
        out.flush()
    }

    func runCompare() throws {
        var old = try loadEngine(files[0], synonymsPath: synonyms)
        var new = try loadEngine(files[1], synonymsPath: synonyms)
        if !decision.isEmpty {
            old = try old.withSettings(decision.applied(to: old.settings))
            new = try new.withSettings(decision.applied(to: new.settings))
        }
        let set = try LabelledSet.load(path: files[2])
        let vectors = try queryVectors.map(readNPYRows)
        // Comparing a lexical base with one that has embeddings is the usual reason to pass
        // vectors here: each base gets them only if it stores embeddings (if neither does,
        // both get them, and the error says why they do not apply).
        let neither = old.embeddingDimension == 0 && new.embeddingDimension == 0
        let oldVectors = old.embeddingDimension > 0 || neither ? vectors : nil
        let newVectors = new.embeddingDimension > 0 || neither ? vectors : nil
        let bar = ProgressBar(label: "compare")
        let n = set.examples.count
        let a = try Evaluator.evaluate(old, on: set, queryVectors: oldVectors) { bar.update($0, total: 2 * $1) }
        let b = try Evaluator.evaluate(new, on: set, queryVectors: newVectors) { bar.update(n + $0, total: 2 * $1) }
        bar.finish()
        let comparison = try AnswerComparison(old: a, new: b)
        var out = OutputBuffer()
        out.write(json ? comparisonJSON(comparison, old: a, new: b, set: set)
                       : comparisonText(comparison, old: a, new: b, set: set, names: (files[0], files[1])))
        out.write("\n")
        out.flush()
        if failOnLoss && !comparison.lost.isEmpty {
            printError("\(comparison.lost.count) question(s) lost")
            throw ExitCode(3)
        }
    }
}

/// Last path component, for titles.
func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
