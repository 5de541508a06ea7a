import ChatbotEngine
import QuestionLog

/// A self-contained SVG chart of the answer rate per period (bars: typed questions, line:
/// answer rate), in the style of `SweepPlot`.
public enum AnswerRatePlot {
    public static func svg(_ series: [LogStatistics.SeriesPoint], period: StatisticsPeriod, title: String, subtitle: String = "") -> String {
        let width = 820.0, height = 480.0
        let left = 78.0, right = 78.0, top = 78.0, bottom = 78.0
        let plotW = width - left - right, plotH = height - top - bottom
        let n = max(1, series.count)
        let slot = plotW / Double(n)
        func x(_ i: Int) -> Double { left + (Double(i) + 0.5) * slot }
        func y(_ v: Double) -> Double { top + (1 - v) * plotH }
        func f(_ v: Double) -> String { SVGCanvas.number(v) }
        let maxQuestions = max(1, series.map(\.questions).max() ?? 1)
        // A round scale for the volume axis (right).
        let volumeMax = Double(niceCeiling(maxQuestions))

        let font = SVGCanvas.font
        var canvas = SVGCanvas(width: width, height: height, title: title, subtitle: subtitle, titleX: left)
        var s = ""
        s += "<g id=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n"
        for i in 0...10 {
            let v = Double(i) / 10
            s += SVGCanvas.line(left, y(v), left + plotW, y(v))
        }
        s += "</g>\n"
        // Volume bars (right axis).
        s += "<g id=\"questions\" fill=\"#c9d9ea\">\n"
        for (i, p) in series.enumerated() {
            let h = Double(p.questions) / volumeMax * plotH
            let bar = min(slot * 0.6, 56)
            s += "<rect x=\"\(f(x(i) - bar / 2))\" y=\"\(f(top + plotH - h))\" width=\"\(f(bar))\" height=\"\(f(h))\"/>\n"
        }
        s += "</g>\n"
        s += "<g id=\"axes\" stroke=\"#444444\" stroke-width=\"1.2\">\n"
        s += SVGCanvas.line(left, top + plotH, left + plotW, top + plotH)
        s += SVGCanvas.line(left, top, left, top + plotH)
        s += SVGCanvas.line(left + plotW, top, left + plotW, top + plotH)
        s += "</g>\n"
        s += "<g id=\"tick-labels\" \(font) font-size=\"11.5\" fill=\"#444444\">\n"
        for i in 0...10 where i % 2 == 0 {
            let v = Double(i) / 10
            s += "<text x=\"\(f(left - 9))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(i * 10)%</text>\n"
            s += "<text x=\"\(f(left + plotW + 9))\" y=\"\(f(y(v) + 4))\" fill=\"#6f8fb0\">\(formatCount(volumeMax * v))</text>\n"
        }
        // At most ~12 date labels.
        let every = max(1, (series.count + 11) / 12)
        for (i, p) in series.enumerated() where i % every == 0 {
            s += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(p.start.description.dropFirst(5))</text>\n"
        }
        s += "</g>\n"
        let firstYear = series.first.map { String($0.start.year) } ?? ""
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 30))\" \(font) font-size=\"13\" fill=\"#222222\" text-anchor=\"middle\">"
            + "\(period == .week ? "week starting (MM-DD, Monday)" : "day (MM-DD)")\(firstYear.isEmpty ? "" : ", from \(firstYear)")</text>\n"
        s += "<text transform=\"translate(22 \(f(top + plotH / 2))) rotate(-90)\" \(font) font-size=\"13\" fill=\"#1f6fb4\" text-anchor=\"middle\">answer rate (answered / typed questions)</text>\n"
        s += "<text transform=\"translate(\(f(width - 16)) \(f(top + plotH / 2))) rotate(90)\" \(font) font-size=\"13\" fill=\"#6f8fb0\" text-anchor=\"middle\">typed questions</text>\n"
        // Answer-rate line, with a dot and its value per period.
        let points = series.enumerated().compactMap { i, p in p.answerRate.map { (i, $0) } }
        s += "<polyline id=\"answer-rate\" fill=\"none\" stroke=\"#1f6fb4\" stroke-width=\"2.4\" stroke-linejoin=\"round\" points=\""
            + points.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ") + "\"/>\n"
        s += "<g id=\"answer-rate-points\" fill=\"#1f6fb4\" \(font) font-size=\"11\">\n"
        for (i, r) in points {
            s += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(r)))\" r=\"3.5\"/>\n"
            if series.count <= 16 {
                s += "<text x=\"\(f(x(i)))\" y=\"\(f(y(r) - 9))\" text-anchor=\"middle\">\(formatFixed(r * 100, 0))%</text>\n"
            }
        }
        s += "</g>\n"
        if series.isEmpty {
            s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH / 2))\" \(font) font-size=\"14\" fill=\"#888888\" text-anchor=\"middle\">no typed question in this period</text>\n"
        }
        canvas.body += s
        return canvas.finished
    }

    /// 1, 2 or 5 times a power of ten, at least `n`.
    static func niceCeiling(_ n: Int) -> Int {
        var p = 1
        while true {
            for m in [1, 2, 5] where m * p >= n { return m * p }
            p *= 10
        }
    }

    static func formatCount(_ v: Double) -> String { String(Int(v.rounded())) }
}
