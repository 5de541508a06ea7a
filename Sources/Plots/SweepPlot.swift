import ChatbotEngine
import ChatbotEvaluation

/// A self-contained SVG chart of a threshold sweep: answer rate, precision and false-answer
/// rate against the answer threshold, with the threshold in force marked.
public enum SweepPlot {
    /// - Parameters:
    ///   - rows: the sweep, thresholds ascending within [0, 1].
    ///   - currentThreshold: drawn as a vertical marker when within [0, 1].
    ///   - title: first heading line; `subtitle` is drawn under it in grey.
    public static func svg(_ rows: [EvaluationReport.SweepRow], currentThreshold: Float,
                           title: String, subtitle: String = "") -> String {
        let width = 820.0, height = 480.0
        let left = 78.0, right = 232.0, top = 78.0, bottom = 62.0
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ t: Double) -> Double { left + t * plotW }
        func y(_ v: Double) -> Double { top + (1 - v) * plotH }
        func n(_ v: Double) -> String { SVGCanvas.number(v) }

        let font = SVGCanvas.font
        var canvas = SVGCanvas(width: width, height: height, title: title, subtitle: subtitle, titleX: left)
        var s = ""
        // Grid and ticks every 0.1 on both axes.
        s += "<g id=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n"
        for i in 0...10 {
            let v = Double(i) / 10
            s += SVGCanvas.line(x(v), top, x(v), top + plotH)
            s += SVGCanvas.line(left, y(v), left + plotW, y(v))
        }
        s += "</g>\n"
        s += "<g id=\"axes\" stroke=\"#444444\" stroke-width=\"1.2\">\n"
        s += SVGCanvas.line(left, top + plotH, left + plotW, top + plotH)
        s += SVGCanvas.line(left, top, left, top + plotH)
        for i in 0...10 {
            let v = Double(i) / 10
            s += SVGCanvas.line(x(v), top + plotH, x(v), top + plotH + 5)
            s += SVGCanvas.line(left - 5, y(v), left, y(v))
        }
        s += "</g>\n"
        s += "<g id=\"tick-labels\" \(font) font-size=\"11.5\" fill=\"#444444\">\n"
        for i in 0...10 {
            let v = Double(i) / 10
            s += "<text x=\"\(n(x(v)))\" y=\"\(n(top + plotH + 19))\" text-anchor=\"middle\">\(formatFixed(v, 1))</text>\n"
            s += "<text x=\"\(n(left - 9))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(i * 10)%</text>\n"
        }
        s += "</g>\n"
        s += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(height - 16))\" \(font) font-size=\"13\" fill=\"#222222\" text-anchor=\"middle\">answer threshold (best score)</text>\n"
        s += "<text transform=\"translate(20 \(n(top + plotH / 2))) rotate(-90)\" \(font) font-size=\"13\" fill=\"#222222\" text-anchor=\"middle\">share of questions (precision: of answers)</text>\n"

        // Threshold in force.
        let t = Double(currentThreshold)
        if t >= 0 && t <= 1 {
            s += "<g id=\"current-threshold\">\n"
            s += SVGCanvas.line(x(t), top, x(t), top + plotH, attributes: "stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"")
            let anchorEnd = t > 0.75
            s += "<text x=\"\(n(x(t) + (anchorEnd ? -6 : 6)))\" y=\"\(n(top + 14))\" \(font) font-size=\"11.5\" fill=\"#333333\"\(anchorEnd ? " text-anchor=\"end\"" : "")>threshold \(formatFixed(t, 2))</text>\n"
            s += "</g>\n"
        }

        let series: [(String, String, String, (EvaluationReport.SweepRow) -> Double)] = [
            ("answer-rate", "answer rate", "#1f6fb4", { $0.answerRate }),
            ("precision", "precision (of answers)", "#2a9d3a", { $0.precision }),
            ("false-answer-rate", "false-answer rate", "#d0342c", { $0.falseAnswerRate }),
        ]
        let inRange = rows.filter { $0.threshold >= 0 && $0.threshold <= 1 }
        for (id, _, colour, value) in series {
            let points = inRange.map { "\(n(x(Double($0.threshold)))),\(n(y(min(1, max(0, value($0))))))" }.joined(separator: " ")
            s += "<polyline id=\"\(id)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.2\" stroke-linejoin=\"round\" points=\"\(points)\"/>\n"
        }

        // Legend, right of the plot.
        let lx = left + plotW + 26
        s += "<g id=\"legend\" \(font) font-size=\"12.5\" fill=\"#222222\">\n"
        s += "<rect x=\"\(n(lx - 12))\" y=\"\(n(top - 8))\" width=\"\(n(right - 26))\" height=\"\(t >= 0 && t <= 1 && !inRange.isEmpty ? 186 : 110)\" rx=\"4\" fill=\"#fafafa\" stroke=\"#dddddd\"/>\n"
        for (i, (_, label, colour, _)) in series.enumerated() {
            let ly = top + 8 + Double(i) * 24
            s += SVGCanvas.line(lx, ly, lx + 24, ly, attributes: "stroke=\"\(colour)\" stroke-width=\"3\"")
            s += "<text x=\"\(n(lx + 32))\" y=\"\(n(ly + 4))\">\(label)</text>\n"
        }
        let my = top + 8 + 3 * 24
        s += SVGCanvas.line(lx, my, lx + 24, my, attributes: "stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"")
        s += "<text x=\"\(n(lx + 32))\" y=\"\(n(my + 4))\">threshold in force</text>\n"
        // The figures at the threshold in force (nearest sweep row), what a reader looks for first.
        if t >= 0 && t <= 1, let at = inRange.min(by: { abs(Double($0.threshold) - t) < abs(Double($1.threshold) - t) }) {
            let vy = my + 34
            s += "<text x=\"\(n(lx))\" y=\"\(n(vy))\" font-weight=\"bold\">at threshold \(formatFixed(Double(at.threshold), 2))</text>\n"
            for (i, (_, label, colour, value)) in series.enumerated() {
                s += "<text x=\"\(n(lx))\" y=\"\(n(vy + 20 + Double(i) * 19))\" fill=\"\(colour)\">\(label.split(separator: " (").first!): "
                    + "\(formatFixed(value(at) * 100, 1))%</text>\n"
            }
        }
        s += "</g>\n"
        canvas.body += s
        return canvas.finished
    }
}
