import ChatbotEngine

/// Text exports of a threshold sweep.
public enum SweepExport {
    /// CSV with header `threshold,answer_rate,precision,false_answer_rate`, one row per sweep
    /// row, threshold with 2 decimals and rates with 6, `\n` line ends.
    public static func csv(_ rows: [EvaluationReport.SweepRow]) -> String {
        var s = "threshold,answer_rate,precision,false_answer_rate\n"
        for r in rows {
            s += "\(formatFixed(Double(r.threshold), 2)),\(formatFixed(r.answerRate, 6)),"
                + "\(formatFixed(r.precision, 6)),\(formatFixed(r.falseAnswerRate, 6))\n"
        }
        return s
    }
}
