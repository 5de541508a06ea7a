#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ChatbotErrors
import ChatbotEngine
import Plots
import QuestionLog

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Statistics of a question log: answer rate, most asked items, fallbacks, latency, series.",
        discussion: """
        The answer rate is answered typed questions / typed questions: button clicks and welcome
        messages are counted apart, never as questions. Dates are UTC days (YYYY-MM-DD); --until is
        exclusive.
        """
    )

    @Argument(help: "Question log (SQLite).")
    var logPath: String

    @Option(help: "First day counted (YYYY-MM-DD, UTC).")
    var since: String?

    @Option(help: "Day after the last one counted (YYYY-MM-DD, UTC, exclusive).")
    var until: String?

    @Option(help: "Series by day or week (default: week).")
    var by: String = "week"

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Write an SVG chart of the answer rate per period (--by) to this file.")
    var plot: String?

    @Option(help: "Index (or source) of the current knowledge base: lists the items never asked.")
    var index: String?

    @Option(help: "Length of the most-asked and fallback lists.")
    var top: Int = 10

    func validate() throws {
        guard StatisticsPeriod(rawValue: by) != nil else { throw ValidationError("--by must be day or week, got \(by)") }
        guard top >= 1 else { throw ValidationError("--top must be 1 or more") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, CalendarDate(value) == nil { throw ValidationError("\(name) must be a date YYYY-MM-DD, got \(value)") }
        }
    }

    func run() throws {
        func ms(_ s: String?) -> Int64? { s.flatMap(CalendarDate.init).map { Int64($0.daysSince1970) * 86_400_000 } }
        if let a = ms(since), let b = ms(until), a >= b { throw ChatbotError.usage("--since must be before --until") }
        guard QuestionLog.isPostgreSQL(logPath) || access(logPath, F_OK) == 0 else { throw ChatbotError.usage("\(logPath): no such question log") }
        let log: QuestionLog
        do { log = try QuestionLog(path: logPath, readOnly: true) } catch { throw ChatbotError.usage(error.description) }
        var items: [String]? = nil
        if let index {
            let engine = try loadEngine(index)
            items = (0..<engine.itemCount).map(engine.itemID)
        }
        let period = StatisticsPeriod(rawValue: by)!
        let s: LogStatistics
        do {
            s = try log.statistics(sinceMilliseconds: ms(since), untilMilliseconds: ms(until), by: period, allItems: items, top: top)
        } catch { throw ChatbotError.usage(error.description) }
        if let plot {
            let title = "Answer rate per \(period.rawValue)"
            let subtitle = "\(logPath): \(s.questions) typed questions, \(s.answered) answered (\(formatFixed(s.answerRate * 100, 1))%); clicks and welcome not counted"
            let svg = AnswerRatePlot.svg(s.series, period: period, title: title, subtitle: subtitle)
            guard let f = fopen(plot, "wb") else { throw ChatbotError.usage("cannot write \(plot): \(String(cString: strerror(errno)))") }
            let bytes = Array(svg.utf8)
            let written = fwrite(bytes, 1, bytes.count, f)
            let closed = fclose(f)
            guard written == bytes.count, closed == 0 else { throw ChatbotError.usage("cannot write \(plot)") }
        }
        var out = OutputBuffer()
        out.write(json ? s.jsonValue.serialized() + "\n" : statsText(s))
        out.flush()
    }
}

func statsText(_ s: LogStatistics) -> String {
    func pct(_ x: Double) -> String { formatFixed(x * 100, 1) + "%" }
    var t = "typed questions   \(s.questions)   (clicks \(s.clicks), welcome \(s.welcomes), conversations \(s.conversations))\n"
    t += "answered          \(s.answered)   answer rate \(pct(s.answerRate))\n"
    t += "suggested         \(s.suggested)   \(pct(s.suggestRate))\n"
    t += "fallback          \(s.fallbacks)   \(pct(s.fallbackRate))\n"
    t += "feedback          relevant \(s.relevant), wrong \(s.wrong), off topic \(s.offTopic) (on answers); "
        + "answered precision \(s.answeredPrecision.map(pct) ?? "n/a")\n"
    t += "latency           p50 \(s.p50LatencyMicroseconds) µs, p99 \(s.p99LatencyMicroseconds) µs\n"
    if !s.mostAskedItems.isEmpty {
        t += "most asked items\n" + s.mostAskedItems.map { "  \($0.count)\t\($0.key)\n" }.joined()
    }
    if !s.mostAskedCategories.isEmpty {
        t += "most asked categories\n" + s.mostAskedCategories.map { "  \($0.count)\t\($0.key)\n" }.joined()
    }
    if let never = s.neverAsked {
        t += "never asked (\(never.count))\n" + never.map { "  \($0)\n" }.joined()
    }
    if !s.topFallbacks.isEmpty {
        t += "most frequent fallbacks\n" + s.topFallbacks.map { "  \($0.count)\t\($0.example)\n" }.joined()
    }
    if !s.series.isEmpty {
        t += "per \(s.period.rawValue)\n"
        for p in s.series {
            t += "  \(p.start)\t\(p.questions) questions\t\(p.answered) answered\t\(p.answerRate.map(pct) ?? "-")\n"
        }
    }
    return t
}
