import ChatbotEngine
import ChatbotEvaluation

// Text and JSON renderings of evaluation reports.

/// A JSON number rounded to 6 decimals.
func jsonNumber(_ x: Double) -> JSONValue { .number((x * 1_000_000).rounded() / 1_000_000) }

/// The `eval --json` object. The first eight keys are the original contract and must never change.
func reportJSON(_ r: EvaluationReport, settings: DecisionSettings, crossValidation cv: CrossValidationReport? = nil) -> String {
    let f = jsonNumber
    var fields: [(key: String, value: JSONValue)] = [
        ("count", .int(r.count)), ("top1", f(r.top1)), ("top3", f(r.top3)), ("mrr", f(r.mrr)),
        ("answer_rate", f(r.answerRate)), ("answered_precision", f(r.answeredPrecision)),
        ("p50_latency_us", f(r.p50LatencyMicroseconds)), ("p99_latency_us", f(r.p99LatencyMicroseconds)),
        ("in_scope_count", .int(r.inScopeCount)), ("out_of_scope_count", .int(r.outOfScopeCount)),
        ("false_answer_rate", f(r.falseAnswerRate)),
        ("out_of_scope_false_answer_rate", f(r.outOfScopeFalseAnswerRate)),
        ("rank_depth", .int(r.rankDepth)),
        ("answer_threshold", f(Double(settings.answerThreshold))),
        ("ambiguity_margin", f(Double(settings.ambiguityMargin))),
        ("macro_f1", f(r.macroF1)),
    ]
    if let cv {
        fields += [
            ("folds", .int(cv.folds.count)), ("seed", .number(Double(cv.seed))),
            ("fold_sizes", .array(cv.folds.map { .int($0.count) })),
            ("fold_top1", .array(cv.foldTop1.map(f))),
            ("fold_top1_mean", f(cv.meanTop1)), ("fold_top1_std", f(cv.stdTop1)),
            ("absent_from_training", .int(cv.absentFromTraining)),
        ]
    }
    fields.append(("per_item", .array(r.itemMetrics().map { m in
        .object([("id", .string(m.id)), ("support", .int(m.support)), ("predicted", .int(m.predicted)),
                 ("correct", .int(m.correct)), ("precision", f(m.precision)), ("recall", f(m.recall)), ("f1", f(m.f1))])
    })))
    fields.append(("confusions", .array(r.confusions().map { c in
        .object([("expected", .string(c.expectedID)), ("predicted", .string(c.predictedID)), ("count", .int(c.count))])
    })))
    return JSONValue.object(fields).serialized()
}

func reportText(_ r: EvaluationReport, sweep: [EvaluationReport.SweepRow], settings: DecisionSettings) -> String {
    func pct(_ x: Double) -> String { pad(formatFixed(x * 100, 1), 6) }
    var scope = ""
    if r.outOfScopeCount > 0 {
        scope = """
        out of scope        \(r.outOfScopeCount)   (expected id \(LabelledSet.outOfScopeID); top-1, top-3 and MRR use the \(r.inScopeCount) others)
        out-of-scope answered \(fixed(r.outOfScopeFalseAnswerRate))

        """
    }
    var s = """
    questions           \(r.count)
    \(scope)top-1               \(fixed(r.top1))
    top-3               \(fixed(r.top3))
    MRR@\(r.rankDepth)              \(fixed(r.mrr))
    answer rate         \(fixed(r.answerRate))   (threshold \(settings.answerThreshold), margin \(settings.ambiguityMargin))
    answered precision  \(fixed(r.answeredPrecision))
    false-answer rate   \(fixed(r.falseAnswerRate))
    latency p50 / p99   \(fixed(r.p50LatencyMicroseconds, 1)) / \(fixed(r.p99LatencyMicroseconds, 1)) µs

    threshold sweep (margin \(settings.ambiguityMargin)):
    threshold  answered%  precision%  false-answer%

    """
    for row in sweep {
        s += "\(pad(fixed(Double(row.threshold), 2), 9))  \(pct(row.answerRate))     \(pct(row.precision))      \(pct(row.falseAnswerRate))\n"
    }
    return String(s.dropLast())
}

/// The per-item table (worst `limit` items by F1) and the `limit` most frequent confusions.
func detailsText(_ r: EvaluationReport, limit: Int) -> String {
    let items = r.itemMetrics()
    let pairs = r.confusions()
    let shown = items.prefix(limit)
    let idWidth = min(40, max(4, shown.map(\.id.count).max() ?? 4))
    func cell(_ s: String) -> String { s.count > idWidth ? String(s.prefix(idWidth - 1)) + "…" : s + String(repeating: " ", count: idWidth - s.count) }
    var s = "per-item top-1 (worst \(shown.count) of \(items.count) by F1; macro F1 \(fixed(r.macroF1))):\n"
    s += "\(cell("item"))  support  predicted  precision  recall      F1\n"
    for m in shown {
        s += "\(cell(m.id))  \(pad(String(m.support), 7))  \(pad(String(m.predicted), 9))  \(pad(fixed(m.precision, 3), 9))  "
            + "\(pad(fixed(m.recall, 3), 6))  \(pad(fixed(m.f1, 3), 6))\n"
    }
    s += "\nmost confused pairs (top \(min(limit, pairs.count)) of \(pairs.count)):\n"
    if pairs.isEmpty { s += "  (none)\n" }
    for c in pairs.prefix(limit) {
        s += "\(pad(String(c.count), 6))  \(c.expectedID) → \(c.predictedID)\n"
    }
    return String(s.dropLast())
}

func crossValidationText(_ cv: CrossValidationReport) -> String {
    var s = "cross-validation    \(cv.folds.count) folds, seed \(cv.seed), stratified by expected id\n"
    s += "fold top-1          " + cv.foldTop1.map { fixed($0, 3) }.joined(separator: " ") + "\n"
    s += "fold sizes          " + cv.folds.map { String($0.count) }.joined(separator: " ") + "\n"
    s += "top-1 mean ± std    \(fixed(cv.meanTop1)) ± \(fixed(cv.stdTop1))\n"
    s += "absent from training \(cv.absentFromTraining)   (held-out questions whose id had no other row; counted as misses)\n"
    s += "micro-averaged over folds:"
    return s
}

// MARK: Comparison

func decisionAnswer(_ id: String?) -> String { id ?? "—" }

func comparisonText(_ c: AnswerComparison, old: EvaluationReport, new: EvaluationReport, set: LabelledSet,
                    names: (String, String)) -> String {
    var s = "compared \(c.count) questions: \(c.gained.count) gained, \(c.lost.count) lost, "
        + "\(c.changed.count) changed but still wrong, \(c.count - c.gained.count - c.lost.count - c.changed.count) unchanged\n"
    s += "old  \(names.0): top-1 \(fixed(old.top1)), answer rate \(fixed(old.answerRate)), answered precision \(fixed(old.answeredPrecision))\n"
    s += "new  \(names.1): top-1 \(fixed(new.top1)), answer rate \(fixed(new.answerRate)), answered precision \(fixed(new.answeredPrecision))\n"
    s += "(the answer is the best item when the decision is 'answer', — otherwise)\n"
    for (title, list) in [("lost (right before, wrong now)", c.lost), ("gained (wrong before, right now)", c.gained),
                          ("changed, still wrong", c.changed)] {
        s += "\n\(title): \(list.count)\n"
        for ch in list {
            s += "  line \(set.examples[ch.index].line): expected \(ch.expectedID); old \(decisionAnswer(ch.oldAnswer)) (\(ch.oldDecision.rawValue))"
                + " → new \(decisionAnswer(ch.newAnswer)) (\(ch.newDecision.rawValue)): \(ch.question)\n"
        }
    }
    return String(s.dropLast())
}

func comparisonJSON(_ c: AnswerComparison, old: EvaluationReport, new: EvaluationReport, set: LabelledSet) -> String {
    func id(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    func list(_ xs: [AnswerComparison.Change]) -> JSONValue {
        .array(xs.map { ch in
            .object([("question", .string(ch.question)), ("expected", .string(ch.expectedID)), ("old", id(ch.oldAnswer)),
                     ("new", id(ch.newAnswer)), ("old_decision", .string(ch.oldDecision.rawValue)),
                     ("new_decision", .string(ch.newDecision.rawValue)), ("line", .int(set.examples[ch.index].line))])
        })
    }
    let unchanged = c.count - c.gained.count - c.lost.count - c.changed.count
    return JSONValue.object([
        ("count", .int(c.count)), ("gained_count", .int(c.gained.count)), ("lost_count", .int(c.lost.count)),
        ("changed_count", .int(c.changed.count)), ("unchanged_count", .int(unchanged)),
        ("old_top1", jsonNumber(old.top1)), ("new_top1", jsonNumber(new.top1)),
        ("old_answered_precision", jsonNumber(old.answeredPrecision)), ("new_answered_precision", jsonNumber(new.answeredPrecision)),
        ("gained", list(c.gained)), ("lost", list(c.lost)), ("changed", list(c.changed)),
    ]).serialized()
}

// MARK: Formatting

func fixed(_ x: Double, _ digits: Int = 4) -> String { formatFixed(x, digits) }

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
