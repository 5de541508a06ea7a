#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import CChatbotABI
import ChatbotEngine
import KnowledgeSources
import QuestionLog
import Synchronization

/// The question log (`cb_log_*`): a handle is the retained box (see `ObjectHandle`), like an
/// anonymiser. The box holds the log and, unless it was opened read-only, the recorder whose
/// thread writes queued rows; releasing the box flushes and stops that thread.
final class LogBox: Sendable {
    let log: QuestionLog
    let recorder: QuestionRecorder?
    /// Matches stored per row.
    let maxMatches: Int
    /// Write failures already reported by `cb_log_flush`.
    private let reportedFailures = Mutex<Int>(0)

    init(log: QuestionLog, recorder: QuestionRecorder?, maxMatches: Int) {
        self.log = log
        self.recorder = recorder
        self.maxMatches = maxMatches
    }

    func writable(_ what: String) throws(ChatbotError) -> QuestionRecorder {
        guard let recorder else { throw ChatbotError(.invalidArgument, "\(what): the question log \(log.path) was opened read-only") }
        return recorder
    }

    /// Waits for the queue; the error of rows that failed since the previous call, if any.
    func flush() throws(ChatbotError) {
        guard let recorder else { return }
        let waiting = recorder.flush()
        if waiting > 0 {
            throw ChatbotError(.io, "\(waiting) row\(waiting == 1 ? " is" : "s are") waiting for \(log.path), which is unreachable: "
                + "they are kept (within the queue's bound) and written when it returns")
        }
        let failures = log.failureCount
        let fresh = reportedFailures.withLock { reported -> Int in
            let n = failures - reported
            reported = failures
            return n
        }
        if fresh > 0 {
            let first = log.firstFailure.map(\.description) ?? "unknown error"
            throw ChatbotError(.io, "\(fresh) row\(fresh == 1 ? "" : "s") of \(log.path) could not be written; first error: \(first)")
        }
    }
}

enum LogHandle {
    static func make(_ box: LogBox) throws(ChatbotError) -> UnsafeMutableRawPointer {
        try ObjectHandle.make(box, .log)
    }

    static func with<R>(_ handle: UnsafeRawPointer?, _ body: (LogBox) throws(ChatbotError) -> R) throws(ChatbotError) -> R {
        try ObjectHandle.with(handle, .log, name: "log", as: LogBox.self, body)
    }

    static func release(_ handle: UnsafeMutableRawPointer) throws(ChatbotError) {
        // The recorder's deinit writes what is queued.
        try ObjectHandle.release(handle, .log, as: LogBox.self)
    }
}

/// Checks the `size` of an option struct (nil: the defaults).
func checkedParams<T>(_ p: UnsafePointer<T>?, size: (T) -> UInt32, defaults: () -> T, _ name: String) throws(ChatbotError) -> T {
    guard let p else { return defaults() }
    let given = size(p.pointee)
    guard Int(given) == MemoryLayout<T>.size else {
        throw ChatbotError(.invalidArgument, "params.size is \(given), expected \(MemoryLayout<T>.size): start from \(name)()")
    }
    return p.pointee
}

@_cdecl("cb_log_open")
public func cb_log_open(_ path: UnsafePointer<CChar>?, _ params: UnsafePointer<cb_log_params>?,
                        _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        let path = try requiredString(path, "path")
        let p = try checkedParams(params, size: \.size, defaults: cb_log_default_params, "cb_log_default_params")
        let capacity = p.queue_capacity == 0 ? 10_000 : Int(clamping: UInt(p.queue_capacity))
        guard p.max_matches <= 100 else { throw ChatbotError(.invalidArgument, "params.max_matches is \(p.max_matches), expected 1..100 (0: 5)") }
        let log = try QuestionLog(path: path, readOnly: p.read_only != 0)
        let recorder = p.read_only != 0 ? nil : QuestionRecorder(log: log, capacity: capacity)
        out.pointee = try LogHandle.make(LogBox(log: log, recorder: recorder, maxMatches: p.max_matches == 0 ? 5 : Int(p.max_matches)))
    }
}

@_cdecl("cb_log_free")
public func cb_log_free(_ log: UnsafeMutableRawPointer?) {
    guard let log else { return }
    _ = withStatus { () throws(ChatbotError) in try LogHandle.release(log) }
}

/// The record options as Swift values.
struct RecordOptions {
    var kind: QuestionKind
    var conversation: String
    var channel: String?
    var latency: Int64
    var kbVersion: String
    var time: Int64?
    /// Where to store the row's id after a synchronous write; nil: queued.
    var idOut: UnsafeMutablePointer<Int64>?

    init(_ params: UnsafePointer<cb_log_record_params>?) throws(ChatbotError) {
        let p = try checkedParams(params, size: \.size, defaults: cb_log_default_record_params, "cb_log_default_record_params")
        switch p.kind {
        case CB_LOG_KIND_QUESTION: kind = .question
        case CB_LOG_KIND_CLICK: kind = .click
        case CB_LOG_KIND_WELCOME: kind = .welcome
        default: throw ChatbotError(.invalidArgument, "params.kind is \(p.kind.rawValue): expected a cb_log_kind (0, 1 or 2)")
        }
        conversation = try optionalString(p.conversation, "params.conversation") ?? ""
        channel = try optionalString(p.channel, "params.channel")
        latency = max(0, p.latency_us)
        kbVersion = try optionalString(p.kb_version, "params.kb_version") ?? ""
        time = p.time_ms == 0 ? nil : p.time_ms
        idOut = p.id_out
    }

    /// Queues the row, or with `id_out` writes it now and stores its id (-1 when it failed).
    func submit(_ record: QuestionRecord, box: LogBox, recorder: QuestionRecorder) {
        if let idOut {
            idOut.pointee = box.log.record(record) ?? -1
        } else {
            recorder.record(record)
        }
    }

    func record(question: String, decision: Decision, matches: [(id: String, score: Double, category: String)],
                replyJSON: String, maxMatches: Int) -> QuestionRecord {
        let best = matches.first
        return QuestionRecord(timeMilliseconds: time, conversation: conversation, channel: channel, kind: kind,
                              question: question, decision: decision,
                              matches: matches.prefix(maxMatches).map { LoggedMatch(id: $0.id, score: $0.score) },
                              bestItem: best?.id, bestConfidence: best?.score, bestCategory: best?.category,
                              replyJSON: replyJSON, latencyMicroseconds: latency, knowledgeBaseVersion: kbVersion)
    }
}

@_cdecl("cb_log_record")
public func cb_log_record(_ log: UnsafeMutableRawPointer?, _ question: UnsafePointer<CChar>?, _ result: UnsafeRawPointer?,
                          _ params: UnsafePointer<cb_log_record_params>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        try LogHandle.with(log) { (box) throws(ChatbotError) in
            let recorder = try box.writable("cb_log_record")
            let question = try requiredString(question, "question")
            let block = try ResultBlock.checked(result)
            let options = try RecordOptions(params)
            let decision: Decision
            switch ResultBlock.decision(block) {
            case 0: decision = .answer
            case 1: decision = .suggest
            default: decision = .fallback
            }
            var matches: [(id: String, score: Double, category: String)] = []
            for i in 0..<min(ResultBlock.count(block), box.maxMatches) {
                let e = try ResultBlock.entry(block, i)
                matches.append((String(cString: ResultBlock.string(block, at: e.id)), Double(e.score),
                                String(cString: ResultBlock.string(block, at: e.category))))
            }
            options.submit(options.record(question: question, decision: decision, matches: matches,
                                          replyJSON: String(cString: ResultBlock.reply(block)), maxMatches: box.maxMatches),
                           box: box, recorder: recorder)
        }
    }
}

@_cdecl("cb_log_record_json")
public func cb_log_record_json(_ log: UnsafeMutableRawPointer?, _ question: UnsafePointer<CChar>?, _ matchJSON: UnsafePointer<CChar>?,
                               _ params: UnsafePointer<cb_log_record_params>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        try LogHandle.with(log) { (box) throws(ChatbotError) in
            let recorder = try box.writable("cb_log_record_json")
            let question = try requiredString(question, "question")
            let text = try requiredString(matchJSON, "match_json")
            let options = try RecordOptions(params)
            let value: JSONValue
            do { value = try JSONValue.parse(bytes: Array(text.utf8)) } catch {
                throw ChatbotError(.invalidArgument, "match_json is not valid JSON: \(error)")
            }
            guard case .string(let d)? = value["decision"], let decision = Decision(rawValue: d) else {
                throw ChatbotError(.invalidArgument, "match_json: \"decision\" must be \"answer\", \"suggest\" or \"fallback\"")
            }
            var matches: [(id: String, score: Double, category: String)] = []
            if let m = value["matches"] {
                guard case .array(let list) = m else { throw ChatbotError(.invalidArgument, "match_json: \"matches\" must be an array") }
                for (i, item) in list.enumerated() {
                    guard case .string(let id)? = item["id"], case .number(let score)? = item["score"] else {
                        throw ChatbotError(.invalidArgument, "match_json: matches[\(i)] needs a string \"id\" and a number \"score\"")
                    }
                    var category = ""
                    if case .string(let c)? = item["category"] { category = c }
                    matches.append((id, score, category))
                }
            }
            var reply = "[]"
            if let r = value["reply"] {
                guard case .array = r else { throw ChatbotError(.invalidArgument, "match_json: \"reply\" must be an array") }
                reply = r.serialized()
            }
            options.submit(options.record(question: question, decision: decision, matches: matches, replyJSON: reply,
                                          maxMatches: box.maxMatches),
                           box: box, recorder: recorder)
        }
    }
}

@_cdecl("cb_log_flush")
public func cb_log_flush(_ log: UnsafeMutableRawPointer?) -> Int32 {
    withStatus { () throws(ChatbotError) in try LogHandle.with(log) { (box) throws(ChatbotError) in try box.flush() } }
}

@_cdecl("cb_log_dropped")
public func cb_log_dropped(_ log: UnsafeRawPointer?, _ out: UnsafeMutablePointer<Int>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        guard let out else { throw ChatbotError(.invalidArgument, "out is NULL") }
        out.pointee = try LogHandle.with(log) { $0.recorder?.droppedCount ?? 0 }
    }
}

@_cdecl("cb_log_feedback")
public func cb_log_feedback(_ log: UnsafeMutableRawPointer?, _ id: Int64, _ feedback: Int32) -> Int32 {
    withStatus { () throws(ChatbotError) in
        try LogHandle.with(log) { (box) throws(ChatbotError) in
            _ = try box.writable("cb_log_feedback")
            let f: Feedback
            switch enumValue(feedback, as: cb_feedback.self) {
            case CB_FEEDBACK_RELEVANT: f = .relevant
            case CB_FEEDBACK_WRONG: f = .wrong
            case CB_FEEDBACK_OFF_TOPIC: f = .offTopic
            default: throw ChatbotError(.invalidArgument, "feedback is \(feedback): expected a cb_feedback (0, 1 or 2)")
            }
            try box.log.setFeedback(f, forQuestion: id)
        }
    }
}

@_cdecl("cb_log_review")
public func cb_log_review(_ log: UnsafeMutableRawPointer?, _ id: Int64, _ action: Int32, _ item: UnsafePointer<CChar>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        try LogHandle.with(log) { (box) throws(ChatbotError) in
            _ = try box.writable("cb_log_review")
            let item = try optionalString(item, "item")
            let review = enumValue(action, as: cb_review_action.self)
            switch review {
            case CB_REVIEW_ACCEPT: try box.log.accept(id, item: item)
            case CB_REVIEW_RELINK:
                guard let item else { throw ChatbotError(.invalidArgument, "item is NULL: CB_REVIEW_RELINK needs the item to link the question to") }
                try box.log.relink(id, to: item)
            case CB_REVIEW_OUT_OF_SCOPE, CB_REVIEW_ARCHIVE:
                let outOfScope = review == CB_REVIEW_OUT_OF_SCOPE
                guard item == nil else {
                    throw ChatbotError(.invalidArgument, "item must be NULL for \(outOfScope ? "CB_REVIEW_OUT_OF_SCOPE" : "CB_REVIEW_ARCHIVE")")
                }
                if outOfScope { try box.log.markOutOfScope(id) } else { try box.log.archive(id) }
            default: throw ChatbotError(.invalidArgument, "action is \(action): expected a cb_review_action (0 to 3)")
            }
        }
    }
}

@_cdecl("cb_log_stats_json")
public func cb_log_stats_json(_ log: UnsafeMutableRawPointer?, _ params: UnsafePointer<cb_stats_params>?,
                              _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        let p = try checkedParams(params, size: \.size, defaults: cb_stats_default_params, "cb_stats_default_params")
        let since = p.since_ms == 0 ? nil : p.since_ms
        let until = p.until_ms == 0 ? nil : p.until_ms
        if let since, let until, since >= until {
            throw ChatbotError(.invalidArgument, "params.since_ms (\(since)) must be before params.until_ms (\(until))")
        }
        guard p.top <= 1000 else { throw ChatbotError(.invalidArgument, "params.top is \(p.top), expected 1..1000 (0: 10)") }
        var items: [String]? = nil
        if let engine = p.engine {
            items = try EngineHandle.with(UnsafeRawPointer(engine)) { box in (0..<box.engine.itemCount).map(box.engine.itemID) }
        }
        let json = try LogHandle.with(log) { (box) throws(ChatbotError) in
            try box.log.statistics(sinceMilliseconds: since, untilMilliseconds: until, by: p.by_week != 0 ? .week : .day,
                                   allItems: items, top: p.top == 0 ? 10 : Int(p.top)).jsonValue
        }
        var bytes: [UInt8] = []
        json.appendJSON(to: &bytes)
        out.pointee = try OwnedCString.make(bytes)
    }
}

@_cdecl("cb_log_inbox_json")
public func cb_log_inbox_json(_ log: UnsafeMutableRawPointer?, _ band: UnsafePointer<CChar>?, _ limit: Int,
                              _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        var b: ReviewBand? = nil
        if let name = try optionalString(band, "band") {
            guard let parsed = ReviewBand(rawValue: name) else {
                throw ChatbotError(.invalidArgument, "band must be confirmed, to_verify, pending or NULL, got \"\(name)\"")
            }
            b = parsed
        }
        // size_t arrives as a signed Int: a huge value reads as negative and means "no limit".
        let n = limit < 0 ? Int(Int32.max) : limit
        let json = try LogHandle.with(log) { (box) throws(ChatbotError) in JSONValue.array(try box.log.inbox(band: b, limit: n).map(\.jsonValue)) }
        var bytes: [UInt8] = []
        json.appendJSON(to: &bytes)
        out.pointee = try OwnedCString.make(bytes)
    }
}

@_cdecl("cb_log_purge")
public func cb_log_purge(_ log: UnsafeMutableRawPointer?, _ days: Int32, _ purgedOut: UnsafeMutablePointer<Int>?) -> Int32 {
    purgedOut?.pointee = 0
    return withStatus { () throws(ChatbotError) in
        try LogHandle.with(log) { (box) throws(ChatbotError) in
            _ = try box.writable("cb_log_purge")
            guard days >= 0 else { throw ChatbotError(.invalidArgument, "days is \(days): the retention period must be 0 days or more") }
            let n = try box.log.purgeTexts(olderThan: Int(days))
            purgedOut?.pointee = n
        }
    }
}

/// One `cb_log_apply` at a time in this process: two applies to the same source would both
/// read it before either writes it.
private let applying = Mutex<Void>(())

@_cdecl("cb_log_apply")
public func cb_log_apply(_ log: UnsafeMutableRawPointer?, _ sourcePath: UnsafePointer<CChar>?, _ indexPath: UnsafePointer<CChar>?,
                         _ reportOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    reportOut?.pointee = nil
    return withStatus { () throws(ChatbotError) in
        try LogHandle.with(log) { (box) throws(ChatbotError) in
            _ = try box.writable("cb_log_apply")
            let source = try requiredString(sourcePath, "source_path")
            let index = try optionalString(indexPath, "index_path")
            let result = try applying.withLock { (_) throws(ChatbotError) in
                try InboxApply.checkTargets(source: source, index: index)
                let reviewed = try box.log.acceptedQuestions() + box.log.outOfScopeQuestions()
                let pending = reviewed.map { PendingAlternative(id: $0.id, itemID: $0.itemID, question: $0.question) }
                return try InboxApply.applyAndRebuild(pending, toSource: source, index: index) { (report) throws(ChatbotError) in
                    try box.log.markApplied(report.appliedIDs)
                }
            }
            if let reportOut {
                var bytes: [UInt8] = []
                result.jsonValue.appendJSON(to: &bytes)
                reportOut.pointee = try OwnedCString.make(bytes)
            }
        }
    }
}
