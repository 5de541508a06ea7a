#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import ChatbotEngine
import Testing
@testable import QuestionLog

/// A child process whose standard output goes to a file.
struct Child {
    let pid: pid_t
    let output: String

    init(_ args: [String], output: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, args[0], &actions, nil, &argv, environ) == 0)
        self.pid = pid
        self.output = output
    }

    /// Waits for the child; its exit status and output.
    func wait() throws -> (status: Int32, output: String) {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let text = String(decoding: try readFile(output), as: UTF8.self)
        unlink(output)
        return (status, text)
    }
}

func record(_ i: Int, thread: Int = 0) -> QuestionRecord {
    QuestionRecord(conversation: "c\(thread)", kind: .question, question: "question \(i) du fil \(thread)", decision: .fallback,
                   matches: [], bestItem: nil, bestConfidence: nil, bestCategory: nil, replyJSON: "[]",
                   latencyMicroseconds: Int64(i), knowledgeBaseVersion: "t")
}

func seconds() -> Double { Double(monotonicMilliseconds()) / 1000 }

/// Schema versions and migrations, on both backends.
@Suite struct MigrationTests {
    @Test(arguments: Backend.available) func aVersion1LogIsMigratedOnOpenAndKeepsItsRows(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        do {
            // A log as libchatbot wrote it before schema 2.
            let c = try store.connection()
            try c.execute(LogSchema.steps(c.dialect)[0])
            try c.execute(c.dialect == .sqlite ? "PRAGMA user_version = 1" : "INSERT INTO chatbot_schema VALUES (1)")
            try c.run("""
                INSERT INTO questions (time_ms, conversation, kind, question, question_key, decision, matches, reply, latency_us, kb_version)
                VALUES (?, 'old', 'question', 'congés payés', 'conges payes', 'fallback', '[]', '[]', 12, 'v1')
                """, [.int(at(day: 0))])
        }
        // A read-only tool reads a version-1 log as it is.
        let reader = try QuestionLog(path: store.location, readOnly: true)
        #expect(try reader.storedSchemaVersion() == 1 && reader.count() == 1)
        let log = try QuestionLog(path: store.location)
        #expect(try log.storedSchemaVersion() == 2)
        let old = try #require(try log.question(id: 1))
        #expect(old.question == "congés payés" && old.conversation == "old" && old.latencyMicroseconds == 12)
        #expect(log.record(record(1)) == 2)
        let hosts = try log.withConnection { c throws(ChatbotError) in try c.rows("SELECT host FROM questions ORDER BY id") { $0.optionalText(0) } }
        #expect(hosts == [nil, QuestionLog.hostName])
        // Opening again migrates nothing.
        #expect(try QuestionLog(path: store.location).storedSchemaVersion() == 2)
    }

    @Test(arguments: Backend.available) func aNewerDatabaseIsRefusedBeforeAnythingIsWritten(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        do {
            let log = try QuestionLog(path: store.location)
            try log.withConnection { c throws(ChatbotError) in
                try c.execute(c.dialect == .sqlite ? "PRAGMA user_version = 7" : "UPDATE chatbot_schema SET version = 7")
            }
        }
        let shown = backend == .sqlite ? store.location : PostgresConnection.redacted(store.location)
        #expect(throws: ChatbotError.newerSchema(path: shown, found: 7, supported: QuestionLog.schemaVersion)) {
            _ = try QuestionLog(path: store.location)
        }
        #expect(throws: ChatbotError.newerSchema(path: shown, found: 7, supported: QuestionLog.schemaVersion)) {
            _ = try QuestionLog(path: store.location, readOnly: true)
        }
        let recording = QuestionLog(recordingTo: store.location)
        #expect(recording.record(record(1)) == nil && recording.failureCount == 2) // the open, then the row
    }

    @Test(arguments: Backend.available) func hostsOpeningANewDatabaseAtOnceDoNotRace(_ backend: Backend) async throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let location = store.location
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do { return "version \(try QuestionLog(path: location).storedSchemaVersion())" } catch { return "\(error)" }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: "version 2", count: 8))
    }
}

/// What only a PostgreSQL log does: the libpq loader, locations, several hosts, faults.
/// Serialized: the fault tests restart or stall the second server.
@Suite(.serialized) struct PostgresTests {
    @Test func aMissingLibpqIsAClearErrorAndNothingElse() {
        #expect {
            _ = try LibPQ.load(file: "/nonexistent/libpq.so.5")
        } throws: { error in
            let message = (error as? ChatbotError)?.description ?? ""
            return message.contains("libpq") && message.contains("apt-get install libpq5") && message.contains("CHATBOT_LIBPQ")
        }
        // A library that is not libpq.
        #expect {
            _ = try LibPQ.load(file: "libc.so.6")
        } throws: { error in
            ((error as? ChatbotError)?.description ?? "").contains("has no PQconnectdbParams")
        }
    }

    @Test func passwordsNeverAppearInMessages() throws {
        #expect(PostgresConnection.redacted("postgresql://bot:s3cret@db.intra:5432/chatbot?sslmode=require")
                == "postgresql://bot:***@db.intra:5432/chatbot?sslmode=require")
        #expect(PostgresConnection.redacted("postgresql://db/chatbot?user=bot&password=s3cret&sslmode=require")
                == "postgresql://db/chatbot?user=bot&password=***&sslmode=require")
        #expect(PostgresConnection.redacted("postgres://bot@db/chatbot") == "postgres://bot@db/chatbot")
        #expect(QuestionLog.isPostgreSQL("postgres://x") && QuestionLog.isPostgreSQL("postgresql:///chatbot")
                && !QuestionLog.isPostgreSQL("/var/log/postgresql.db") && !QuestionLog.isPostgreSQL("postgresql.db"))
    }

    @Test(.enabled(if: Backend.postgresURL != nil)) func anUnreachableServerIsReportedAndRecordingGoesOn() throws {
        // Nothing listens on port 1.
        let location = "postgresql://chatbot:s3cret@127.0.0.1:1/postgres"
        #expect {
            _ = try QuestionLog(path: location)
        } throws: { error in
            let message = (error as? ChatbotError)?.description ?? ""
            return message.contains("cannot connect to postgresql://chatbot:***@127.0.0.1:1/postgres") && !message.contains("s3cret")
        }
        let log = QuestionLog(recordingTo: location)
        #expect(log.record(record(1)) == nil && log.firstFailure != nil)
    }

    @Test(.enabled(if: Backend.postgresURL != nil)) func statisticsAndInboxAreTheSameAsSQLiteOnTheSameRows() throws {
        let sqlite = try TestStore(.sqlite), postgres = try TestStore(.postgresql)
        defer { sqlite.remove(); postgres.remove() }
        let a = try filledLog(sqlite), b = try filledLog(postgres)
        // More rows, of every kind and decision, with ties and texts that sort differently
        // by bytes and by language (accents, case).
        var g = SeededGenerator(seed: 16)
        let items = ["conges", "salaire", "Zèbre", "teletravail", "st_merci", "émargement", "phrase_hors_sujet"]
        let texts = ["Congés ?", "congés", "Éléphant", "elephant", "zèbre", "Zebre", "météo", "Météo demain", "a", "B"]
        for i in 0..<1500 {
            let decision: Decision = [.answer, .answer, .suggest, .fallback][Int(g.next() % 4)]
            let item = g.next() % 8 == 0 ? nil : items[Int(g.next() % UInt64(items.count))]
            let kind: QuestionKind = g.next() % 10 == 0 ? .click : g.next() % 20 == 0 ? .welcome : .question
            let r = QuestionRecord(timeMilliseconds: at(day: Int(g.next() % 60), hour: Int(g.next() % 24)), conversation: "c\(g.next() % 40)",
                                   kind: kind, question: texts[Int(g.next() % UInt64(texts.count))], decision: decision,
                                   matches: item.map { [LoggedMatch(id: $0, score: 0.5)] } ?? [], bestItem: item,
                                   bestConfidence: item == nil ? nil : Double(g.next() % 1000) / 1000,
                                   bestCategory: ["RH", "Paie", "", "Émargement", nil][Int(g.next() % 5)], replyJSON: "[]",
                                   latencyMicroseconds: Int64(g.next() % 5000), knowledgeBaseVersion: "t")
            let ida = a.record(r), idb = b.record(r)
            #expect(ida != nil && ida == idb)
            if i % 7 == 0, let ida, let idb {
                let f: Feedback = [.relevant, .wrong, .offTopic][i % 3]
                try a.setFeedback(f, forQuestion: ida)
                try b.setFeedback(f, forQuestion: idb)
            }
        }
        for period in StatisticsPeriod.allCases {
            for (since, until) in [(nil, nil), (at(day: 3), at(day: 40)), (at(day: 100), nil)] as [(Int64?, Int64?)] {
                let sa = try a.statistics(sinceMilliseconds: since, untilMilliseconds: until, by: period, allItems: items, top: 5)
                let sb = try b.statistics(sinceMilliseconds: since, untilMilliseconds: until, by: period, allItems: items, top: 5)
                #expect(sa == sb)
                #expect(sa.jsonValue.serialized() == sb.jsonValue.serialized())
            }
        }
        for band in [nil] + ReviewBand.allCases.map(Optional.some) {
            #expect(try a.inbox(band: band, limit: 50) == b.inbox(band: band, limit: 50))
        }
    }

    @Test(.enabled(if: Backend.postgresURL != nil)) func threeProcessesOfFourThreadsAndTwoReviewersLoseAndDuplicateNothing() throws {
        let store = try TestStore(.postgresql)
        defer { store.remove() }
        _ = try QuestionLog(path: store.location)
        let helper = stressHelperPath()
        let threads = 4, rows = 250, processes = 3
        let expected = processes * threads * rows
        let writers = try (0..<processes).map { try Child([helper, store.location, String(threads), String(rows), "p\($0)"],
                                                           output: "/tmp/questionlog-writer-\(getpid())-\($0).txt") }
        // Two reviewers archive the inbox at the same time as each other and as the writers.
        let reviewers = try (0..<2).map { try Child([helper, store.location, "review", String(expected)],
                                                    output: "/tmp/questionlog-reviewer-\(getpid())-\($0).txt") }
        for w in writers {
            let (status, output) = try w.wait()
            #expect(status == 0 && output == "ok \(threads * rows)\n", "writer: \(output)")
        }
        var changed = 0
        for r in reviewers {
            let (status, output) = try r.wait()
            #expect(status == 0 && output.hasPrefix("changed "), "reviewer: \(output)")
            changed += Int(output.dropFirst("changed ".count).dropLast()) ?? -1
        }
        let log = try QuestionLog(path: store.location)
        #expect(try log.count() == expected)
        let distinct = try log.withConnection { c throws(ChatbotError) in
            try c.scalar("SELECT count(DISTINCT question) FROM questions WHERE status = 'archived'")
        }
        #expect(distinct == Int64(expected))
        // Every archive action changed a row exactly once, whichever reviewer got there first.
        #expect(changed == expected)
        #expect(try log.inbox(band: nil, limit: 10).isEmpty)
    }

    static let faultURL: String? = getenv("CHATBOT_TEST_POSTGRESQL_FAULT").map { String(cString: $0) }
    static let control: String? = getenv("CHATBOT_TEST_POSTGRESQL_CTL").map { String(cString: $0) }
    static let restartCommand: String? = control.map { $0 + " restart" }

    /// A host that starts while the server is down logs once it is up: the recorder keeps
    /// its rows meanwhile, and they are written when the log can be opened.
    @Test(.enabled(if: faultURL != nil && control != nil))
    func aServerDownAtStartIsOpenedWhenItComesUp() throws {
        let store = try TestStore(.postgresql, serverURL: Self.faultURL)
        defer { store.remove() }
        #expect(system(Self.control! + " stop") == 0)
        var started = false
        defer { if !started { _ = system(Self.control! + " start") } }
        let log = QuestionLog(recordingTo: store.location)
        #expect(log.firstFailure?.code == PostgresConnection.unreachableCode)
        let recorder = QuestionRecorder(log: log)
        for i in 0..<200 { #expect(recorder.record(record(i, thread: 5))) }
        #expect(recorder.flush() == 200)  // waiting for the server, not lost
        #expect(system(Self.control! + " start") == 0)
        started = true
        let start = seconds()
        while recorder.flush() > 0 && seconds() - start < 30 { usleep(100_000) }
        #expect(recorder.flush() == 0 && recorder.droppedCount == 0)
        #expect(try log.count() == 200)
        #expect(try log.storedSchemaVersion() == QuestionLog.schemaVersion)
    }

    /// Four threads record through a recorder while the server restarts: recording never
    /// waits for it, and every row is in the database afterwards, once. A fifth records
    /// through a recorder whose queue holds 20 rows: the rows beyond it during the outage
    /// are dropped and counted, the others written.
    @Test(.enabled(if: faultURL != nil && restartCommand != nil))
    func aServerRestartMidRunLosesNoRowAndNeverSlowsRecording() throws {
        let store = try TestStore(.postgresql, serverURL: Self.faultURL)
        defer { store.remove() }
        let log = try QuestionLog(path: store.location)
        let recorder = QuestionRecorder(log: log, capacity: 100_000)
        let small = QuestionRecorder(log: log, capacity: 20)
        final class Worker: @unchecked Sendable {
            let recorder: QuestionRecorder, thread: Int
            var queued = 0
            var slowest = 0.0
            init(_ recorder: QuestionRecorder, _ thread: Int) { self.recorder = recorder; self.thread = thread }
            func run() {
                for i in 0..<1500 {
                    let t = seconds()
                    if recorder.record(record(i, thread: thread)) { queued += 1 }
                    slowest = max(slowest, seconds() - t)
                    usleep(1000)
                }
            }
        }
        let workers = (0..<4).map { Worker(recorder, $0) } + [Worker(small, 4)]
        var handles: [pthread_t] = []
        for w in workers {
            var t = pthread_t()
            pthread_create(&t, nil, { raw in
                Unmanaged<Worker>.fromOpaque(raw!).takeUnretainedValue().run()
                return nil
            }, Unmanaged.passUnretained(w).toOpaque())
            handles.append(t)
        }
        usleep(400_000)
        #expect(system(Self.restartCommand!) == 0)
        // A synchronous write while the connection is being restored fails or succeeds, fast.
        let t = seconds()
        _ = log.record(record(-1, thread: 99))
        #expect(seconds() - t < 2.5)
        for h in handles { pthread_join(h, nil) }
        let start = seconds()
        while (recorder.flush() > 0 || small.flush() > 0) && seconds() - start < 30 { usleep(100_000) }
        #expect(recorder.flush() == 0 && small.flush() == 0)
        #expect(recorder.retryCount > 0, "the restart was not seen: the test proves nothing")
        #expect(recorder.droppedCount == 0)
        let queued = workers.prefix(4).reduce(0) { $0 + $1.queued }
        #expect(queued == 4 * 1500)
        func counts(_ condition: String) throws -> [[Int64]] {
            try log.withConnection { c throws(ChatbotError) in
                try c.rows("SELECT count(*), count(DISTINCT record_key), count(DISTINCT question) FROM questions WHERE \(condition)") {
                    [$0.int(0), $0.int(1), $0.int(2)]
                }
            }
        }
        #expect(try counts("conversation IN ('c0', 'c1', 'c2', 'c3')") == [[Int64(queued), Int64(queued), Int64(queued)]])
        // The small queue: what it took is written once, what it could not take is counted.
        let taken = workers[4].queued
        #expect(small.droppedCount > 0 && taken + small.droppedCount == 1500)
        #expect(try counts("conversation = 'c4'") == [[Int64(taken), Int64(taken), Int64(taken)]])
        #expect(workers.map(\.slowest).max()! < 0.05, "record() waited \(workers.map(\.slowest).max()!) s")
    }

    /// The server stops answering (its backend is stopped with SIGSTOP: the kernel still
    /// acknowledges, so no TCP timeout fires). Queued records still return at once; a
    /// synchronous one gives up within the answer timeout; once the server answers again,
    /// every queued row is written, once.
    @Test(.enabled(if: faultURL != nil))
    func aStalledServerNeverHoldsAMatch() throws {
        let store = try TestStore(.postgresql, serverURL: Self.faultURL)
        defer { store.remove() }
        let name = "stall_\(getpid())"
        let log = try QuestionLog(path: store.location + "&application_name=" + name)
        let recorder = QuestionRecorder(log: log, capacity: 100_000)
        #expect(log.record(record(0, thread: 0)) != nil)
        let pids = try TestStore.admin(Self.faultURL!) { c throws(ChatbotError) in
            try c.rows("SELECT pid FROM pg_stat_activity WHERE application_name = '\(name)'") { pid_t($0.int(0)) }
        }
        try #require(pids.count == 1)
        #expect(kill(pids[0], SIGSTOP) == 0)
        var resumed = false
        defer { if !resumed { kill(pids[0], SIGCONT) } }
        var slowest = 0.0
        for i in 1...500 {
            let t = seconds()
            #expect(recorder.record(record(i, thread: 1)))
            slowest = max(slowest, seconds() - t)
            usleep(2000)
        }
        #expect(slowest < 0.05, "record() waited \(slowest) s")
        // The writer holds the connection while it waits for the stalled server: a
        // synchronous record waits for it, then fails or succeeds, within the bound.
        let t = seconds()
        _ = log.record(record(0, thread: 2))
        let waited = seconds() - t
        #expect(waited < Double(PostgresConnection.answerTimeoutMilliseconds) / 1000 + 3, "a synchronous record waited \(waited) s")
        #expect(kill(pids[0], SIGCONT) == 0)
        resumed = true
        let start = seconds()
        while recorder.flush() > 0 && seconds() - start < 40 { usleep(100_000) }
        #expect(recorder.flush() == 0 && recorder.droppedCount == 0)
        #expect(recorder.retryCount > 0, "the stall was not seen: the test proves nothing")
        let counts = try log.withConnection { c throws(ChatbotError) in
            try c.rows("SELECT count(*), count(DISTINCT record_key) FROM questions WHERE conversation = 'c1'") { [$0.int(0), $0.int(1)] }
        }
        #expect(counts == [[500, 500]])
    }
}
