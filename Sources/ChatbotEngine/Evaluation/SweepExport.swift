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

/// `x` rounded to `digits` decimals, always written in plain positional notation
/// (`String(Double)` switches to exponents such as `1e-05`, which some CSV readers reject).
public func formatFixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    // Beyond 2^63 the value has no meaningful decimals left anyway.
    guard scaled < 9.0e18 else { return String(x) }
    let n = UInt64(scaled)
    let p = UInt64(scale)
    var s = (x < 0 && n != 0 ? "-" : "") + String(n / p)
    if digits > 0 {
        let frac = String(n % p)
        s += "." + String(repeating: "0", count: digits - frac.count) + frac
    }
    return s
}
