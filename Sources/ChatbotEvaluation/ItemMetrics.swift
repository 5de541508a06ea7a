import ChatbotEngine

/// Precision, recall and F1 of the top-1 prediction for one knowledge item.
///
/// Computed over in-scope questions only, whatever the decision: this measures the ranking,
/// not the threshold (out-of-scope questions are measured by the false-answer rates).
public struct ItemMetrics: Sendable, Equatable {
    public var id: String
    /// Questions whose expected item is `id`.
    public var support: Int
    /// Questions whose top-1 item is `id`.
    public var predicted: Int
    /// Questions expecting `id` whose top-1 item is `id`.
    public var correct: Int

    public init(id: String, support: Int, predicted: Int, correct: Int) {
        self.id = id
        self.support = support
        self.predicted = predicted
        self.correct = correct
    }

    /// 0 when the item is never predicted (scikit-learn's `zero_division=0`).
    public var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
    /// 0 when no question expects the item.
    public var recall: Double { support == 0 ? 0 : Double(correct) / Double(support) }
    public var f1: Double {
        let p = precision, r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }
}

/// Questions of one expected item answered (top-1) with another item.
public struct Confusion: Sendable, Equatable {
    public var expectedID: String
    public var predictedID: String
    public var count: Int

    public init(expectedID: String, predictedID: String, count: Int) {
        self.expectedID = expectedID
        self.predictedID = predictedID
        self.count = count
    }
}

extension EvaluationReport {
    /// One row per id that is expected or predicted at least once, worst F1 first
    /// (ties: larger support first, then id), so that truncating keeps the items to fix.
    public func itemMetrics() -> [ItemMetrics] {
        var rows: [String: ItemMetrics] = [:]
        for o in outcomes where !o.isOutOfScope {
            rows[o.expectedID, default: ItemMetrics(id: o.expectedID, support: 0, predicted: 0, correct: 0)].support += 1
            if let p = o.predictedID {
                rows[p, default: ItemMetrics(id: p, support: 0, predicted: 0, correct: 0)].predicted += 1
                if p == o.expectedID { rows[p]!.correct += 1 }
            }
        }
        return rows.values.sorted { a, b in
            if a.f1 != b.f1 { return a.f1 < b.f1 }
            if a.support != b.support { return a.support > b.support }
            return a.id < b.id
        }
    }

    /// Expected → predicted pairs of wrong top-1 predictions, most frequent first
    /// (ties: expected id, then predicted id). In-scope questions only.
    public func confusions() -> [Confusion] {
        var counts: [String: [String: Int]] = [:]
        for o in outcomes where !o.isOutOfScope {
            guard let p = o.predictedID, p != o.expectedID else { continue }
            counts[o.expectedID, default: [:]][p, default: 0] += 1
        }
        var pairs: [Confusion] = []
        for (e, row) in counts {
            for (p, n) in row { pairs.append(Confusion(expectedID: e, predictedID: p, count: n)) }
        }
        return pairs.sorted { a, b in
            if a.count != b.count { return a.count > b.count }
            if a.expectedID != b.expectedID { return a.expectedID < b.expectedID }
            return a.predictedID < b.predictedID
        }
    }

    /// Macro-averaged F1 over items with support (the per-item table's summary figure).
    public var macroF1: Double {
        let rows = itemMetrics().filter { $0.support > 0 }
        return rows.isEmpty ? 0 : rows.reduce(0) { $0 + $1.f1 } / Double(rows.count)
    }
}
