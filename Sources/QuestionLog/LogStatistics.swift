import ChatbotErrors
import ChatbotEngine

/// Grouping of the statistics' time series.
public enum StatisticsPeriod: String, Sendable, CaseIterable {
    case day
    /// Weeks start on Monday (UTC).
    case week
}

/// Figures of a question log over [since, until).
///
/// Definitions. A *typed question* is a row of kind `question`; clicks and welcome messages
/// are counted apart and never in the rates. **answer rate = answered typed questions /
/// typed questions**; suggest and fallback rates likewise. **Answered precision** =
/// relevant / (relevant + wrong + off_topic) among answered typed questions with feedback
/// (nil without any). Most asked items and categories count answered typed questions and
/// clicks by their item, leaving out small talk (`st_…`) and the reserved ids. Latency
/// percentiles are over typed questions (nearest rank on `p·(n−1)`, like `eval`).
public struct LogStatistics: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public var key: String
        public var count: Int
    }
    public struct FallbackGroup: Sendable, Equatable {
        /// The normalised text shared by the group.
        public var key: String
        /// One of the group's texts as typed (the first in byte order).
        public var example: String
        public var count: Int
    }
    public struct SeriesPoint: Sendable, Equatable {
        /// First day of the period (a Monday for weeks).
        public var start: CalendarDate
        public var questions: Int
        public var answered: Int
        public var suggested: Int
        public var fallbacks: Int
        public var answerRate: Double? { questions == 0 ? nil : Double(answered) / Double(questions) }
    }

    public var sinceMilliseconds: Int64?
    public var untilMilliseconds: Int64?
    /// Rows of each kind.
    public var clicks = 0, welcomes = 0
    /// Typed questions and their decisions.
    public var questions = 0, answered = 0, suggested = 0, fallbacks = 0
    public var conversations = 0
    /// Feedback on answered typed questions.
    public var relevant = 0, wrong = 0, offTopic = 0
    /// Feedback on all rows.
    public var feedbackCount = 0
    public var p50LatencyMicroseconds: Int64 = 0, p99LatencyMicroseconds: Int64 = 0
    public var mostAskedItems: [Count] = []
    public var mostAskedCategories: [Count] = []
    /// Items of `allItems` never asked (nil when no item list was given).
    public var neverAsked: [String]? = nil
    public var topFallbacks: [FallbackGroup] = []
    public var period: StatisticsPeriod = .week
    public var series: [SeriesPoint] = []

    public var answerRate: Double { questions == 0 ? 0 : Double(answered) / Double(questions) }
    public var suggestRate: Double { questions == 0 ? 0 : Double(suggested) / Double(questions) }
    public var fallbackRate: Double { questions == 0 ? 0 : Double(fallbacks) / Double(questions) }
    public var answeredPrecision: Double? {
        let n = relevant + wrong + offTopic
        return n == 0 ? nil : Double(relevant) / Double(n)
    }

    package var jsonValue: JSONValue {
        func rate(_ x: Double) -> JSONValue { .number((x * 1_000_000).rounded() / 1_000_000) }
        func counts(_ c: [Count]) -> JSONValue { .array(c.map { .object([("id", .string($0.key)), ("count", .int($0.count))]) }) }
        return .object([
            ("since", sinceMilliseconds.map { .string(formatTimestamp($0)) } ?? .null),
            ("until", untilMilliseconds.map { .string(formatTimestamp($0)) } ?? .null),
            ("questions", .int(questions)),
            ("answered", .int(answered)),
            ("suggested", .int(suggested)),
            ("fallbacks", .int(fallbacks)),
            ("answer_rate", rate(answerRate)),
            ("suggest_rate", rate(suggestRate)),
            ("fallback_rate", rate(fallbackRate)),
            ("clicks", .int(clicks)),
            ("welcomes", .int(welcomes)),
            ("conversations", .int(conversations)),
            ("feedback", .object([("relevant", .int(relevant)), ("wrong", .int(wrong)), ("off_topic", .int(offTopic)),
                                  ("total", .int(feedbackCount))])),
            ("answered_precision", answeredPrecision.map(rate) ?? .null),
            ("p50_latency_us", .int(Int(p50LatencyMicroseconds))),
            ("p99_latency_us", .int(Int(p99LatencyMicroseconds))),
            ("most_asked_items", counts(mostAskedItems)),
            ("most_asked_categories", .array(mostAskedCategories.map {
                .object([("category", .string($0.key)), ("count", .int($0.count))])
            })),
            ("never_asked", neverAsked.map { .array($0.map { .string($0) }) } ?? .null),
            ("top_fallbacks", .array(topFallbacks.map {
                .object([("question", .string($0.example)), ("normalized", .string($0.key)), ("count", .int($0.count))])
            })),
            ("by", .string(period.rawValue)),
            ("series", .array(series.map {
                .object([("start", .string($0.start.description)), ("questions", .int($0.questions)),
                         ("answered", .int($0.answered)), ("suggested", .int($0.suggested)), ("fallbacks", .int($0.fallbacks)),
                         ("answer_rate", $0.answerRate.map(rate) ?? .null)])
            })),
        ])
    }
}

extension QuestionLog {
    /// The statistics of the rows with `since ≤ time < until` (either bound may be nil).
    /// - Parameters:
    ///   - allItems: the current engine's item ids, for `neverAsked` (small talk and reserved ids are left out).
    ///   - top: length of the most-asked and top-fallback lists.
    public func statistics(sinceMilliseconds: Int64? = nil, untilMilliseconds: Int64? = nil, by period: StatisticsPeriod = .week,
                           allItems: [String]? = nil, top: Int = 10) throws(ChatbotError) -> LogStatistics {
        var s = LogStatistics()
        s.sinceMilliseconds = sinceMilliseconds
        s.untilMilliseconds = untilMilliseconds
        s.period = period
        let range = "time_ms >= ? AND time_ms < ?"
        let bounds: [SQLValue] = [.int(sinceMilliseconds ?? Int64.min), .int(untilMilliseconds ?? Int64.max)]
        let reserved = [ItemRole.welcomeID, ItemRole.fallbackID, ItemRole.feedbackID].map { "'\($0)'" }.joined(separator: ", ")
        let countable = "best_item IS NOT NULL AND best_item NOT IN (\(reserved)) AND substr(best_item, 1, 3) != '\(ItemRole.smallTalkPrefix)'"
        let asked = "\(range) AND decision = 'answer' AND kind IN ('question', 'click') AND \(countable)"
        try withLongConnection { (c: any LogDatabase) throws(ChatbotError) in
            for (kind, n) in try c.rows("SELECT kind, count(*) FROM questions WHERE \(range) GROUP BY kind", bounds, { ($0.text(0), Int($0.int(1))) }) {
                switch kind {
                case "question": s.questions = n
                case "click": s.clicks = n
                case "welcome": s.welcomes = n
                default: break
                }
            }
            for (decision, n) in try c.rows("SELECT decision, count(*) FROM questions WHERE \(range) AND kind = 'question' GROUP BY decision",
                                             bounds, { ($0.text(0), Int($0.int(1))) }) {
                switch decision {
                case "answer": s.answered = n
                case "suggest": s.suggested = n
                case "fallback": s.fallbacks = n
                default: break
                }
            }
            s.conversations = Int(try c.scalar("SELECT count(DISTINCT conversation) FROM questions WHERE \(range)", bounds) ?? 0)
            for (feedback, n) in try c.rows("SELECT feedback, count(*) FROM questions WHERE \(range) AND kind = 'question' "
                                             + "AND decision = 'answer' AND feedback IS NOT NULL GROUP BY feedback", bounds, { ($0.text(0), Int($0.int(1))) }) {
                switch feedback {
                case "relevant": s.relevant = n
                case "wrong": s.wrong = n
                case "off_topic": s.offTopic = n
                default: break
                }
            }
            s.feedbackCount = Int(try c.scalar("SELECT count(*) FROM questions WHERE \(range) AND feedback IS NOT NULL", bounds) ?? 0)
            if s.questions > 0 {
                func percentile(_ p: Double) throws(ChatbotError) -> Int64 {
                    let offset = Int64((p * Double(s.questions - 1)).rounded())
                    return try c.scalar("SELECT latency_us FROM questions WHERE \(range) AND kind = 'question' ORDER BY latency_us LIMIT 1 OFFSET ?",
                                        bounds + [.int(offset)]) ?? 0
                }
                s.p50LatencyMicroseconds = try percentile(0.5)
                s.p99LatencyMicroseconds = try percentile(0.99)
            }
            s.mostAskedItems = try c.rows("SELECT best_item, count(*) AS n FROM questions WHERE \(asked) GROUP BY best_item "
                                          + "ORDER BY n DESC, best_item LIMIT ?", bounds + [.int(Int64(top))]) {
                LogStatistics.Count(key: $0.text(0), count: Int($0.int(1)))
            }
            s.mostAskedCategories = try c.rows("SELECT best_category, count(*) AS n FROM questions WHERE \(asked) AND coalesce(best_category, '') != '' "
                                               + "GROUP BY best_category ORDER BY n DESC, best_category LIMIT ?", bounds + [.int(Int64(top))]) {
                LogStatistics.Count(key: $0.text(0), count: Int($0.int(1)))
            }
            if let allItems {
                let seen = Set(try c.rows("SELECT DISTINCT best_item FROM questions WHERE \(asked)", bounds) { $0.text(0) })
                s.neverAsked = allItems.filter {
                    let role = ItemRole(id: $0)
                    return role == .ordinary && !seen.contains($0)
                }
            }
            s.topFallbacks = try c.rows("SELECT question_key, min(question), count(*) AS n FROM questions WHERE \(range) AND kind = 'question' "
                                        + "AND decision = 'fallback' AND question_key != '' GROUP BY question_key ORDER BY n DESC, question_key LIMIT ?",
                                        bounds + [.int(Int64(top))]) {
                LogStatistics.FallbackGroup(key: $0.text(0), example: $0.text(1), count: Int($0.int(2)))
            }
            // Day number since 1970; weeks start on Monday (1970-01-01 was a Thursday).
            let bucket = period == .day ? "(time_ms / 86400000)" : "(((time_ms / 86400000) + 3) / 7)"
            s.series = try c.rows("SELECT \(bucket) AS b, count(*), "
                                  + "sum(CASE WHEN decision = 'answer' THEN 1 ELSE 0 END), sum(CASE WHEN decision = 'suggest' THEN 1 ELSE 0 END), "
                                  + "sum(CASE WHEN decision = 'fallback' THEN 1 ELSE 0 END) "
                                  + "FROM questions WHERE \(range) AND kind = 'question' AND time_ms >= 0 GROUP BY b ORDER BY b", bounds) {
                let b = Int($0.int(0))
                return LogStatistics.SeriesPoint(start: CalendarDate(daysSince1970: period == .day ? b : b * 7 - 3),
                                                 questions: Int($0.int(1)), answered: Int($0.int(2)),
                                                 suggested: Int($0.int(3)), fallbacks: Int($0.int(4)))
            }
        }
        return s
    }
}
