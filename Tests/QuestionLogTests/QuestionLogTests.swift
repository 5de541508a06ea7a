#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Testing
import CSQLite
import ChatbotEngine
import FrenchText
import Plots
@testable import QuestionLog

/// A fresh directory under /tmp, removed by `cleanup`.
func temporaryDirectory() -> String {
    var template = Array("/tmp/questionlog-test-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: p!)
}

func cleanup(_ dir: String) {
    for f in ["log.db", "log.db-wal", "log.db-shm", "direct.db", "direct.db-wal", "direct.db-shm"] { unlink(dir + "/" + f) }
    rmdir(dir)
}

let day0 = Int64(CalendarDate(year: 2024, month: 1, day: 1).daysSince1970) * 86_400_000 // a Monday
func at(day: Int, hour: Int = 10) -> Int64 { day0 + Int64(day) * 86_400_000 + Int64(hour) * 3_600_000 }

func row(_ id: Int, _ kind: QuestionKind = .question, _ question: String, _ decision: Decision, _ item: String?, _ confidence: Double?,
         category: String? = nil, latency: Int64, day: Int, conversation: String) -> QuestionRecord {
    QuestionRecord(timeMilliseconds: at(day: day), conversation: conversation, channel: id % 2 == 0 ? "web" : nil, kind: kind,
                   question: question, decision: decision,
                   matches: item.map { [LoggedMatch(id: $0, score: confidence ?? 0), LoggedMatch(id: "autre", score: 0.01)] } ?? [],
                   bestItem: item, bestConfidence: confidence, bestCategory: category,
                   replyJSON: "[{\"type\":\"text\",\"text\":\"réponse \(id)\"}]", latencyMicroseconds: latency, knowledgeBaseVersion: "0.test kb.cbindex")
}

/// Eleven rows with known decisions (see each line); ids are 1…11 in this order.
let fixture: [QuestionRecord] = [
    row(1, .question, "Comment poser des congés ?", .answer, "conges", 0.98, category: "RH", latency: 100, day: 0, conversation: "a"),
    row(2, .question, "congés payés", .answer, "conges", 0.90, category: "RH", latency: 200, day: 0, conversation: "a"),
    row(3, .question, "bonjour", .answer, "st_bonjour", 0.99, category: "", latency: 300, day: 0, conversation: "a"),
    row(4, .question, "merci pour votre retour", .answer, "phrase_feedback", 0.97, latency: 400, day: 1, conversation: "a"),
    row(5, .question, "salaire ?", .suggest, "salaire", 0.6, category: "Paie", latency: 500, day: 1, conversation: "a"),
    row(6, .question, "Couleur du ciel ?", .fallback, "phrase_hors_sujet", 0.9, latency: 600, day: 7, conversation: "b"),
    row(7, .question, "couleur du CIEL", .fallback, "conges", 0.1, category: "RH", latency: 700, day: 7, conversation: "b"),
    row(8, .question, "météo demain", .fallback, nil, nil, latency: 800, day: 8, conversation: "b"),
    row(9, .click, "Quand le salaire est-il versé ?", .answer, "salaire", 1, category: "Paie", latency: 0, day: 1, conversation: "a"),
    row(10, .welcome, "", .answer, "phrase_presentation", 1, latency: 0, day: 0, conversation: "a"),
    row(11, .question, "date de paie", .answer, "salaire", 0.96, category: "Paie", latency: 900, day: 8, conversation: "b"),
]

func filledLog(_ store: TestStore) throws -> QuestionLog {
    let log = try QuestionLog(path: store.location)
    for (i, r) in fixture.enumerated() { #expect(log.record(r) == Int64(i + 1)) }
    try log.setFeedback(.relevant, forQuestion: 1)
    try log.setFeedback(.wrong, forQuestion: 2)
    try log.setFeedback(.offTopic, forQuestion: 11)
    try log.setFeedback(.relevant, forQuestion: 6) // on a fallback: not in the answered precision
    return log
}

@Suite struct SchemaTests {
    @Test func createsTheSchemaInWALMode() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        let log = try QuestionLog(path: dir + "/log.db")
        #expect(try log.storedSchemaVersion() == QuestionLog.schemaVersion)
        #expect(try log.count() == 0)
        let mode = try log.withConnection { c throws(ChatbotError) in try c.rows("PRAGMA journal_mode") { $0.text(0) } }
        #expect(mode == ["wal"])
        // Opening again keeps the rows.
        log.record(fixture[0])
        let again = try QuestionLog(path: dir + "/log.db")
        #expect(try again.count() == 1)
    }

    @Test func refusesANewerSchema() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        do {
            let log = try QuestionLog(path: dir + "/log.db")
            try log.withConnection { c throws(ChatbotError) in try c.execute("PRAGMA user_version = 7") }
        }
        #expect(throws: ChatbotError.newerSchema(path: dir + "/log.db", found: 7, supported: QuestionLog.schemaVersion)) {
            _ = try QuestionLog(path: dir + "/log.db")
        }
        let message = ChatbotError.newerSchema(path: "x.db", found: 7, supported: 1).description
        #expect(message.contains("schema version 7") && message.contains("upgrade"))
        // The recording form reports it and goes on.
        let log = QuestionLog(recordingTo: dir + "/log.db")
        #expect(log.record(fixture[0]) == nil)
        #expect(log.firstFailure == .newerSchema(path: dir + "/log.db", found: 7, supported: QuestionLog.schemaVersion))
    }

    @Test func readOnlyRefusesAFileThatIsNotALog() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        #expect(throws: ChatbotError.self) { _ = try QuestionLog(path: dir + "/log.db", readOnly: true) }
    }
}

@Suite struct RecordingTests {
    @Test(arguments: Backend.available) func recordsAndReadsBack(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try filledLog(store)
        #expect(try log.count() == 11)
        let q = try #require(try log.question(id: 2))
        #expect(q.timeMilliseconds == at(day: 0))
        #expect(q.conversation == "a" && q.channel == "web" && q.kind == .question)
        #expect(try log.question(id: 1)?.channel == nil)
        #expect(q.question == "congés payés" && q.decision == .answer)
        #expect(q.matches == [LoggedMatch(id: "conges", score: 0.9), LoggedMatch(id: "autre", score: 0.01)])
        #expect(q.bestItem == "conges" && q.bestConfidence == 0.9 && q.bestCategory == "RH")
        #expect(q.replyJSON == "[{\"type\":\"text\",\"text\":\"réponse 2\"}]")
        #expect(q.latencyMicroseconds == 200 && q.knowledgeBaseVersion == "0.test kb.cbindex")
        #expect(q.status == .new && q.targetItem == nil && q.feedback == .wrong && !q.applied)
        #expect(q.band == .toVerify)
        let eight = try #require(try log.question(id: 8))
        #expect(eight.channel == "web" && eight.bestItem == nil && eight.bestConfidence == nil && eight.matches.isEmpty)
        #expect(try log.question(id: 99) == nil)
        #expect(formatTimestamp(at(day: 0)) == "2024-01-01T10:00:00.000Z")
    }

    @Test func timestampsFormatOverTheWholeInt64Range() {
        #expect(formatTimestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(formatTimestamp(-1) == "1969-12-31T23:59:59.999Z")
        #expect(formatTimestamp(-86_400_000) == "1969-12-31T00:00:00.000Z")
        #expect(formatTimestamp(-86_400_001) == "1969-12-30T23:59:59.999Z")
        // The C API's since_ms / until_ms take any int64: the extremes used to trap.
        #expect(formatTimestamp(Int64.max) == "292278994-08-17T07:12:55.807Z")
        #expect(formatTimestamp(Int64.min) == "-292275055-05-16T16:47:04.192Z")
        #expect(formatTimestamp(Int64.min + 86_399_999) == "-292275055-05-17T16:47:04.191Z")
    }

    @Test(arguments: Backend.available) func feedbackAttachesByIDAndIsIdempotent(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try filledLog(store)
        #expect(try log.setFeedback(.relevant, forQuestion: 1) == .unchanged)
        #expect(try log.setFeedback(.wrong, forQuestion: 3) == .changed)
        #expect(try log.question(id: 3)?.feedback == .wrong)
        #expect(throws: ChatbotError.unknownQuestion(42)) { try log.setFeedback(.wrong, forQuestion: 42) }
    }

    @Test(arguments: Backend.available) func purgeBlanksOldTextsAndKeepsTheCounts(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try filledLog(store)
        let before = try log.statistics()
        // Now = day 8, 12:00; older than 3 days = before day 5, 12:00: rows of days 0 and 1.
        #expect(try log.purgeTexts(olderThan: 3, nowMilliseconds: at(day: 8, hour: 12)) == 7)
        #expect(try log.purgeTexts(olderThan: 3, nowMilliseconds: at(day: 8, hour: 12)) == 0)
        let old = try #require(try log.question(id: 1))
        #expect(old.question == "" && old.replyJSON == "" && old.bestItem == "conges" && old.feedback == .relevant)
        #expect(try log.question(id: 6)?.question == "Couleur du ciel ?")
        var after = try log.statistics()
        #expect(after == before)
        after = try log.statistics()
        #expect(after.questions == 9 && after.answered == 5)
        // A purged question cannot be accepted (its text is gone) but can be archived.
        #expect(throws: ChatbotError.self) { try log.accept(1) }
        #expect(try log.archive(1) == .changed)
        #expect(throws: ChatbotError.self) { try log.purgeTexts(olderThan: -1) }
    }

    @Test func anUnwritablePathIsReportedOnceAndRecordNeverThrows() throws {
        final class Reports: @unchecked Sendable {
            var messages: [String] = []
        }
        let reports = Reports()
        let log = QuestionLog(recordingTo: "/nonexistent-directory/sub/log.db") { reports.messages.append($0.description) }
        for r in fixture { #expect(log.record(r) == nil) }
        #expect(reports.messages.count == 1)
        #expect(reports.messages[0].contains("/nonexistent-directory/sub/log.db"))
        #expect(log.failureCount == 1 + fixture.count)
        #expect(log.firstFailure != nil)
        // A log that works reports nothing.
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        let ok = QuestionLog(recordingTo: dir + "/log.db") { reports.messages.append($0.description) }
        #expect(ok.record(fixture[0]) == 1)
        #expect(ok.firstFailure == nil && ok.failureCount == 0 && reports.messages.count == 1)
    }

    @Test func aFailingWriteIsReportedOnce() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        final class Reports: @unchecked Sendable { var count = 0 }
        let reports = Reports()
        let log = QuestionLog(recordingTo: dir + "/log.db") { _ in reports.count += 1 }
        // The table disappears under the writer (as a broken or foreign file would make it fail).
        try log.withConnection { c throws(ChatbotError) in try c.execute("DROP TABLE questions") }
        #expect(log.record(fixture[0]) == nil)
        #expect(log.record(fixture[1]) == nil)
        #expect(reports.count == 1 && log.failureCount == 2)
    }

    @Test func nearDuplicatesShareAKey() {
        #expect(questionKey("Télé-travail ?!") == "tele travail")
        #expect(questionKey("  Congés   PAYÉS. ") == "conges payes")
        #expect(questionKey("l'œuvre") == "l oeuvre")
        #expect(questionKey("Couleur du ciel ?") == questionKey("couleur du CIEL"))
        #expect(questionKey("?!") == "")
    }
}

@Suite struct StatisticsTests {
    @Test(arguments: Backend.available) func everyFigureAgreesWithTheRecordedDecisions(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try filledLog(store)
        let s = try log.statistics(allItems: ["conges", "salaire", "teletravail", "st_bonjour", "phrase_hors_sujet"])
        // Typed questions: rows 1–8 and 11; the click (9) and the welcome (10) are not questions.
        #expect(s.questions == 9 && s.clicks == 1 && s.welcomes == 1)
        #expect(s.answered == 5 && s.suggested == 1 && s.fallbacks == 3) // 1,2,3,4,11 / 5 / 6,7,8
        #expect(s.answerRate == 5.0 / 9 && s.suggestRate == 1.0 / 9 && s.fallbackRate == 3.0 / 9)
        #expect(s.conversations == 2)
        // Feedback on answers: 1 relevant, 2 wrong, 11 off topic; 6 (a fallback) is not counted.
        #expect(s.relevant == 1 && s.wrong == 1 && s.offTopic == 1 && s.feedbackCount == 4)
        #expect(s.answeredPrecision == 1.0 / 3)
        // Latencies of the typed questions: 100…900; index round(p·8).
        #expect(s.p50LatencyMicroseconds == 500 && s.p99LatencyMicroseconds == 900)
        // Answered questions and clicks, without st_bonjour (3) and phrase_feedback (4).
        #expect(s.mostAskedItems == [.init(key: "conges", count: 2), .init(key: "salaire", count: 2)])
        #expect(s.mostAskedCategories == [.init(key: "Paie", count: 2), .init(key: "RH", count: 2)])
        #expect(s.neverAsked == ["teletravail"])
        #expect(s.topFallbacks == [.init(key: "couleur du ciel", example: "Couleur du ciel ?", count: 2),
                                   .init(key: "meteo demain", example: "météo demain", count: 1)])
        #expect(s.series == [
            .init(start: CalendarDate(year: 2024, month: 1, day: 1), questions: 5, answered: 4, suggested: 1, fallbacks: 0),
            .init(start: CalendarDate(year: 2024, month: 1, day: 8), questions: 4, answered: 1, suggested: 0, fallbacks: 3),
        ])
        let json = s.jsonValue
        #expect(json["questions"] == .number(9) && json["answered"] == .number(5))
        #expect(json["answer_rate"] == .number(0.555556))
    }

    @Test(arguments: Backend.available) func periodsAndDailySeries(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try filledLog(store)
        let firstWeek = try log.statistics(sinceMilliseconds: day0, untilMilliseconds: at(day: 7, hour: 0), by: .day)
        #expect(firstWeek.questions == 5 && firstWeek.answered == 4 && firstWeek.clicks == 1 && firstWeek.welcomes == 1)
        #expect(firstWeek.topFallbacks.isEmpty && firstWeek.neverAsked == nil)
        #expect(firstWeek.series.map(\.questions) == [3, 2])
        let daily = try log.statistics(by: .day)
        #expect(daily.series.map(\.start.description) == ["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09"])
        #expect(daily.series.map(\.questions) == [3, 2, 2, 2])
        let empty = try log.statistics(sinceMilliseconds: at(day: 100))
        #expect(empty.questions == 0 && empty.answerRate == 0 && empty.answeredPrecision == nil && empty.series.isEmpty)
    }

    @Test(arguments: Backend.available) func plotIsSVG(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let s = try filledLog(store).statistics()
        let svg = AnswerRatePlot.svg(s.series, period: .week, title: "Answer rate <test>")
        #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("Answer rate &lt;test&gt;") && svg.contains("80%") && svg.contains("25%"))
    }
}

@Suite struct InboxTests {
    @Test(arguments: Backend.available) func bandsOfTypedQuestions(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try filledLog(store)
        #expect(try log.inbox(band: .confirmed).map(\.id) == [11, 4, 3, 1])
        #expect(try log.inbox(band: .toVerify).map(\.id) == [5, 2])
        #expect(try log.inbox(band: .pending).map(\.id) == [8, 7, 6])
        #expect(try log.inbox().count == 9)
        #expect(try log.inbox(limit: 2).map(\.id) == [11, 8])
    }

    @Test(arguments: Backend.available) func everyActionIsRecordedAndIdempotent(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try filledLog(store)
        #expect(try log.accept(1) == .changed)
        #expect(try log.accept(1) == .unchanged)
        #expect(try log.question(id: 1)?.status == .accepted && log.question(id: 1)?.targetItem == "conges")
        #expect(try log.accept(2, item: "salaire") == .changed)
        #expect(try log.relink(5, to: "salaire") == .changed)
        #expect(try log.relink(5, to: "salaire") == .unchanged)
        #expect(try log.markOutOfScope(6) == .changed)
        #expect(try log.markOutOfScope(6) == .unchanged)
        #expect(try log.archive(7) == .changed)
        #expect(try log.archive(7) == .unchanged)
        #expect(try log.question(id: 7)?.status == .archived)
        // Errors: unknown id, no best item, a click, an empty item, the fallback item.
        #expect(throws: ChatbotError.unknownQuestion(999)) { try log.accept(999) }
        #expect(throws: ChatbotError.unknownQuestion(999)) { try log.archive(999) }
        #expect(throws: ChatbotError.self) { try log.accept(8) }
        #expect(throws: ChatbotError.self) { try log.accept(9) }
        #expect(throws: ChatbotError.self) { try log.relink(8, to: "") }
        #expect(throws: ChatbotError.self) { try log.relink(8, to: "phrase_hors_sujet") }
        #expect(try log.question(id: 8)?.status == .new)
        // Reviewed questions leave the inbox.
        #expect(try log.inbox(band: .confirmed).map(\.id) == [11, 4, 3])
        #expect(try log.inbox(band: .toVerify).isEmpty)
        #expect(try log.inbox(band: .pending).map(\.id) == [8])

        #expect(try log.acceptedQuestions() == [
            ReviewedQuestion(id: 1, itemID: "conges", question: "Comment poser des congés ?"),
            ReviewedQuestion(id: 2, itemID: "salaire", question: "congés payés"),
            ReviewedQuestion(id: 5, itemID: "salaire", question: "salaire ?"),
        ])
        #expect(try log.outOfScopeQuestions() == [ReviewedQuestion(id: 6, itemID: "phrase_hors_sujet", question: "Couleur du ciel ?")])
        #expect(try log.markApplied([1, 6, 7, 999]) == 2) // 7 is archived, 999 unknown: ignored
        #expect(try log.markApplied([1, 6]) == 0)
        #expect(try log.acceptedQuestions().map(\.id) == [2, 5])
        #expect(try log.outOfScopeQuestions().isEmpty)
        // Accepting again what was applied changes nothing; a new target makes it pending again.
        #expect(try log.accept(1) == .unchanged)
        #expect(try log.question(id: 1)?.applied == true)
        #expect(try log.relink(1, to: "teletravail") == .changed)
        #expect(try log.acceptedQuestions().map(\.id) == [1, 2, 5])
    }
}

/// The path of the QuestionLogStress helper, built next to the test bundle.
func stressHelperPath() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let exe = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return String(exe[..<(exe.lastIndex(of: "/") ?? exe.endIndex)]) + "/QuestionLogStress"
}

final class Writer: @unchecked Sendable {
    let log: QuestionLog, thread: Int, rows: Int
    var written = 0
    init(log: QuestionLog, thread: Int, rows: Int) {
        self.log = log
        self.thread = thread
        self.rows = rows
    }
    func run() {
        for i in 0..<rows {
            var r = fixture[i % fixture.count]
            r.conversation = "in-process-\(thread)"
            r.timeMilliseconds = nil
            if log.record(r) != nil { written += 1 }
        }
    }
}

@Suite struct ConcurrencyTests {
    @Test func eightThreadsInTwoProcessesLoseNoRow() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        let path = dir + "/log.db"
        let helper = stressHelperPath()
        #expect(access(helper, X_OK) == 0, "missing \(helper)")
        let threads = 8, rows = 300
        // The second process: 8 threads of its own, started first so that both create the file.
        let args = [helper, path, String(threads), String(rows), "child"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, helper, nil, nil, &argv, environ) == 0)
        // This process: 8 threads sharing one QuestionLog instance.
        let log = QuestionLog(recordingTo: path)
        let writers = (0..<threads).map { Writer(log: log, thread: $0, rows: rows) }
        var handles: [pthread_t] = []
        for w in writers {
            var t = pthread_t()
            pthread_create(&t, nil, { raw in
                Unmanaged<Writer>.fromOpaque(raw!).takeUnretainedValue().run()
                return nil
            }, Unmanaged.passUnretained(w).toOpaque())
            handles.append(t)
        }
        for h in handles { pthread_join(h, nil) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status == 0, "the helper process failed (status \(status))")
        #expect(log.firstFailure == nil)
        #expect(writers.reduce(0) { $0 + $1.written } == threads * rows)
        let reader = try QuestionLog(path: path)
        #expect(try reader.count() == 2 * threads * rows)
        let perWriter = try reader.withConnection { c throws(ChatbotError) in
            try c.rows("SELECT count(DISTINCT conversation) FROM questions") { $0.int(0) }
        }
        #expect(perWriter == [Int64(2 * threads)])
    }
}
