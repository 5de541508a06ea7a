#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import ArgumentParser
import ChatbotEngine
import KnowledgeSources
import QuestionLog

struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Review the logged questions: list them by band, accept, relink, mark out of scope, archive, feedback.",
        discussion: """
        inbox LOG.db list [--band confirmed|to_verify|pending] [--json] [--limit N]
        inbox LOG.db accept ID [--item ITEM]     the question becomes an alternative of ITEM (default: its best item)
        inbox LOG.db relink ID ITEM              … of another item
        inbox LOG.db mark-out-of-scope ID        … an out-of-scope example (phrase_hors_sujet)
        inbox LOG.db archive ID
        inbox LOG.db feedback ID relevant|wrong|off_topic
        inbox LOG.db apply SOURCE [--index INDEX]
                                                 writes the accepted and out-of-scope questions into SOURCE
                                                 (.xlsx, .csv, .tsv, .json; a backup SOURCE.bak-YYYYMMDD-HHMMSS
                                                 first), marks them applied; --index rebuilds INDEX from it
                                                 (warm start) and replaces it atomically
        inbox LOG.db purge DAYS                  retention: blanks the question and reply texts of rows older
                                                 than DAYS days (statistics keep counting them)
        Bands (typed questions still new): confirmed = answered with confidence >= 0.95; to_verify =
        answered below 0.95, or suggestions; pending = fallback. Every action is idempotent.
        """
    )

    @Argument(help: "Question log (SQLite).")
    var logPath: String

    @Argument(help: "list, accept, relink, mark-out-of-scope, archive, feedback, apply or purge.")
    var action: String

    @Argument(help: "The action's arguments (ID, ITEM, feedback value, SOURCE, DAYS).")
    var arguments: [String] = []

    @Option(help: "list: only this band (confirmed, to_verify, pending).")
    var band: String?

    @Option(help: "list: at most this many questions, newest first.")
    var limit: Int = 50

    @Flag(help: "list: one JSON array.")
    var json = false

    @Option(help: "accept: the item the question becomes an alternative of (default: its best item).")
    var item: String?

    @Option(help: "apply: rebuild this index from the updated source (warm start) and replace it atomically.")
    var index: String?

    func run() throws {
        let actions = ["list", "accept", "relink", "mark-out-of-scope", "archive", "feedback", "apply", "purge"]
        guard actions.contains(action) else {
            throw ChatbotError.usage("unknown inbox action \"\(action)\": expected one of \(actions.joined(separator: ", "))")
        }
        let expected = ["list": 0, "accept": 1, "relink": 2, "mark-out-of-scope": 1, "archive": 1, "feedback": 2, "apply": 1, "purge": 1][action]!
        guard arguments.count == expected else {
            throw ChatbotError.usage("inbox \(action) takes \(expected) argument\(expected == 1 ? "" : "s"), got \(arguments.count)")
        }
        if action != "list" && (band != nil || json) { throw ChatbotError.usage("--band and --json apply to inbox list") }
        if action != "accept" && item != nil { throw ChatbotError.usage("--item applies to inbox accept") }
        if action != "apply" && index != nil { throw ChatbotError.usage("--index applies to inbox apply") }
        guard QuestionLog.isPostgreSQL(logPath) || access(logPath, F_OK) == 0 else { throw ChatbotError.usage("\(logPath): no such question log") }
        let log: QuestionLog
        do { log = try QuestionLog(path: logPath, readOnly: action == "list") } catch { throw ChatbotError.usage(error.description) }
        do {
            if action == "apply" {
                try InboxApplyRun(log: log, source: arguments[0], index: index).run()
                return
            }
            if action == "purge" {
                guard let days = Int(arguments[0]), days >= 0 else {
                    throw ChatbotError.usage("invalid retention \"\(arguments[0])\": DAYS is a number of days, 0 or more")
                }
                let n = try log.purgeTexts(olderThan: days)
                print("purged \(n) logged question\(n == 1 ? "" : "s") older than \(days) day\(days == 1 ? "" : "s") (texts blanked)")
                return
            }
            if action == "list" {
                let b: ReviewBand?
                if let band {
                    guard let parsed = ReviewBand(rawValue: band) else {
                        throw ChatbotError.usage("--band must be confirmed, to_verify or pending, got \(band)")
                    }
                    b = parsed
                } else { b = nil }
                guard limit >= 1 else { throw ChatbotError.usage("--limit must be 1 or more") }
                let rows = try log.inbox(band: b, limit: limit)
                var out = OutputBuffer()
                if json {
                    out.write(JSONValue.array(rows.map(\.jsonValue)).serialized() + "\n")
                } else {
                    for r in rows {
                        let conf = r.bestConfidence.map { formatFixed($0, 4) } ?? "-"
                        out.write("\(r.id)\t\(r.band?.rawValue ?? "-")\t\(r.decision.rawValue)\t\(r.bestItem ?? "-")\t\(conf)\t\(r.question)\n")
                    }
                }
                out.flush()
                return
            }
            guard let id = Int64(arguments[0]), id > 0 else { throw ChatbotError.usage("invalid question id \"\(arguments[0])\"") }
            let outcome: ReviewOutcome
            switch action {
            case "accept": outcome = try log.accept(id, item: item)
            case "relink": outcome = try log.relink(id, to: arguments[1])
            case "mark-out-of-scope": outcome = try log.markOutOfScope(id)
            case "archive": outcome = try log.archive(id)
            default:
                guard let f = Feedback(rawValue: arguments[1]) else {
                    throw ChatbotError.usage("feedback must be relevant, wrong or off_topic, got \(arguments[1])")
                }
                outcome = try log.setFeedback(f, forQuestion: id)
            }
            guard let row = try log.question(id: id) else { throw ChatbotError.usage("no logged question has id \(id)") }
            let what = action == "feedback" ? "feedback \(row.feedback?.rawValue ?? "")"
                : "\(row.status.rawValue)\(row.targetItem.map { " → \($0)" } ?? "")"
            print("\(id)\t\(what)\(outcome == .unchanged ? " (unchanged)" : "")")
        } catch let e as ChatbotError {
            throw ChatbotError.usage(e.description)
        }
    }
}
