import ChatbotEngine

/// How a logged entry reached the bot.
public enum QuestionKind: String, Sendable, CaseIterable {
    /// Typed by a user: the only kind counted as a question in the answer rate.
    case question
    /// A click on a button (its target item was sent; no matching).
    case click
    /// The welcome message, sent when a conversation starts.
    case welcome
}

/// Where a logged question stands in the review.
public enum ReviewStatus: String, Sendable, CaseIterable {
    case new
    /// To be added as an alternative question of `targetItem` (its best item by default).
    case accepted
    /// To be added as an alternative question of another item, `targetItem`.
    case relinked
    /// To be added as an out-of-scope example (a question of `phrase_hors_sujet`).
    case outOfScope = "out_of_scope"
    /// Looked at, nothing to do.
    case archived
}

/// The user's opinion of the reply.
public enum Feedback: String, Sendable, CaseIterable {
    case relevant
    case wrong
    case offTopic = "off_topic"
}

/// Review bands of the inbox, on the calibrated confidence of the best match.
public enum ReviewBand: String, Sendable, CaseIterable {
    /// Answered with a confidence ≥ `confirmedThreshold` (0.95).
    case confirmed
    /// Answered below 0.95, or suggestions offered.
    case toVerify = "to_verify"
    /// Fallback: nothing was close enough.
    case pending

    public static let confirmedThreshold = 0.95
}

/// One item proposed for a logged question, as stored (`matches` JSON: `[{"id","score"}]`).
public struct LoggedMatch: Sendable, Equatable {
    public var id: String
    public var score: Double
    public init(id: String, score: Double) {
        self.id = id
        self.score = score
    }
}

/// What is written for one question, click or welcome.
public struct QuestionRecord: Sendable {
    /// UTC milliseconds since 1970; nil: now.
    public var timeMilliseconds: Int64?
    /// Opaque id of the conversation, from the host.
    public var conversation: String
    public var channel: String?
    public var kind: QuestionKind
    /// The question as typed, already masked by the host (this module stores it as given).
    public var question: String
    public var decision: Decision
    /// Best first.
    public var matches: [LoggedMatch]
    public var bestItem: String?
    public var bestConfidence: Double?
    /// The best item's category, stored so that statistics by category need no index.
    public var bestCategory: String?
    /// The reply sent, as JSON (an array of messages).
    public var replyJSON: String
    public var latencyMicroseconds: Int64
    /// Which knowledge base answered, e.g. the index's writer version and file name.
    public var knowledgeBaseVersion: String
    /// Drawn when the row is queued (`QuestionRecorder`), so that writing its batch again
    /// after a lost connection stores it once; nil: drawn when written.
    var recordKey: String?

    public init(timeMilliseconds: Int64? = nil, conversation: String, channel: String? = nil, kind: QuestionKind,
                question: String, decision: Decision, matches: [LoggedMatch], bestItem: String?, bestConfidence: Double?,
                bestCategory: String?, replyJSON: String, latencyMicroseconds: Int64, knowledgeBaseVersion: String) {
        self.timeMilliseconds = timeMilliseconds
        self.conversation = conversation
        self.channel = channel
        self.kind = kind
        self.question = question
        self.decision = decision
        self.matches = matches
        self.bestItem = bestItem
        self.bestConfidence = bestConfidence
        self.bestCategory = bestCategory
        self.replyJSON = replyJSON
        self.latencyMicroseconds = latencyMicroseconds
        self.knowledgeBaseVersion = knowledgeBaseVersion
    }

    /// The record of a typed question (or another kind) from the engine's result: decision,
    /// matches (at most `maxMatches`), best item and its category, reply JSON.
    public init(question: String, result: MatchResult, kind: QuestionKind = .question, conversation: String,
                channel: String? = nil, latencyMicroseconds: Int64, knowledgeBaseVersion: String,
                timeMilliseconds: Int64? = nil, maxMatches: Int = 5) {
        let best = result.matches.first
        self.init(timeMilliseconds: timeMilliseconds, conversation: conversation, channel: channel, kind: kind,
                  question: question, decision: result.decision,
                  matches: result.matches.prefix(maxMatches).map { LoggedMatch(id: $0.id, score: Double($0.score)) },
                  bestItem: best?.id, bestConfidence: best.map { Double($0.score) }, bestCategory: best?.category,
                  replyJSON: result.replyJSONText, latencyMicroseconds: latencyMicroseconds,
                  knowledgeBaseVersion: knowledgeBaseVersion)
    }

    /// 128 random bits in hex.
    static func newRecordKey() -> String {
        var g = SystemRandomNumberGenerator()
        func hex(_ x: UInt64) -> String {
            let s = String(x, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(g.next()) + hex(g.next())
    }

    var matchesJSON: String {
        JSONValue.array(matches.map { .object([("id", .string($0.id)), ("score", .number(($0.score * 10_000).rounded() / 10_000))]) })
            .serialized()
    }
}

/// A logged question as read back.
public struct LoggedQuestion: Sendable, Equatable {
    public var id: Int64
    public var timeMilliseconds: Int64
    public var conversation: String
    public var channel: String?
    public var kind: QuestionKind
    /// Empty once purged.
    public var question: String
    public var decision: Decision
    public var matches: [LoggedMatch]
    public var bestItem: String?
    public var bestConfidence: Double?
    public var bestCategory: String?
    /// Empty once purged.
    public var replyJSON: String
    public var latencyMicroseconds: Int64
    public var knowledgeBaseVersion: String
    public var status: ReviewStatus
    public var targetItem: String?
    public var feedback: Feedback?
    /// Whether the knowledge base has taken the review action into account (`markApplied`).
    public var applied: Bool

    /// The inbox band of this question (nil for clicks and welcome, never reviewed).
    public var band: ReviewBand? {
        guard kind == .question else { return nil }
        switch decision {
        case .answer: return (bestConfidence ?? 0) >= ReviewBand.confirmedThreshold ? .confirmed : .toVerify
        case .suggest: return .toVerify
        case .fallback: return .pending
        }
    }

    package var jsonValue: JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        return .object([
            ("id", .number(Double(id))),
            ("time", .string(formatTimestamp(timeMilliseconds))),
            ("time_ms", .number(Double(timeMilliseconds))),
            ("conversation", .string(conversation)),
            ("channel", opt(channel)),
            ("kind", .string(kind.rawValue)),
            ("question", .string(question)),
            ("decision", .string(decision.rawValue)),
            ("band", opt(band?.rawValue)),
            ("best_item", opt(bestItem)),
            ("confidence", bestConfidence.map { .number($0) } ?? .null),
            ("category", opt(bestCategory)),
            ("matches", .array(matches.map { .object([("id", .string($0.id)), ("score", .number($0.score))]) })),
            ("latency_us", .number(Double(latencyMicroseconds))),
            ("kb_version", .string(knowledgeBaseVersion)),
            ("status", .string(status.rawValue)),
            ("target_item", opt(targetItem)),
            ("feedback", opt(feedback?.rawValue)),
            ("applied", .bool(applied)),
        ])
    }
}

/// A reviewed question waiting to be written into the knowledge base.
public struct ReviewedQuestion: Sendable, Equatable {
    /// The logged question's id, for `markApplied`.
    public var id: Int64
    /// The item that gains the question (`phrase_hors_sujet` for out-of-scope questions).
    public var itemID: String
    public var question: String
}

/// The outcome of a review action: whether the row changed (false when the same action had
/// already been done, which is harmless).
public enum ReviewOutcome: Sendable, Equatable {
    case changed
    case unchanged
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
public func formatTimestamp(_ ms: Int64) -> String {
    // Floor division without `ms - 86_399_999`, which overflowed (a trap) near Int64.min:
    // a C host's `since_ms = INT64_MIN` crashed the process.
    let remainder = ms % 86_400_000
    let days = Int(ms / 86_400_000) - (remainder < 0 ? 1 : 0)
    let rest = Int(remainder) + (remainder < 0 ? 86_400_000 : 0)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let millis = rest % 1000
    let m3 = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
    return "\(CalendarDate(daysSince1970: days))T\(two(rest / 3_600_000)):\(two(rest / 60_000 % 60)):\(two(rest / 1000 % 60)).\(m3)Z"
}
