#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Anonymizer
import CSQLite
import ChatbotEngine
import FrenchText

/// The question log: every question, click and welcome a bot handled, with its decision and
/// reply; the users' feedback; the review inbox; statistics (`statistics(...)`).
///
/// **Storage.** The location names the backend:
/// - a file path: one SQLite file in WAL mode with a 5 s busy timeout. Any number of
///   processes and threads may write to it at once; each record is one short transaction
///   (a single INSERT through a prepared statement).
/// - `postgresql://…` or `postgres://…` (libpq's connection URI, with its environment
///   variables and service files): a PostgreSQL database shared by every app server.
///   libpq is loaded only then (`LibPQ`). A lost connection is tried again at most once a
///   second (`PostgresConnection`); `QuestionRecorder` keeps its rows until it returns.
///
/// The schema is versioned and migrated on open (`LogSchema`). An instance holds one
/// connection behind a mutex, so one instance may be shared by threads.
///
/// **Logging never slows or fails a match.** `record` does not throw: it returns the new
/// row's id, or nil when the row could not be written. The first failure (an unwritable
/// path, a full disk, a lock held longer than the busy timeout, a refused schema) is passed
/// once to `onFailure` and kept in `firstFailure`; later failures only increment
/// `failureCount`. After a failure to open, `record` returns nil at once. The cost a match
/// pays is one INSERT, typically tens of microseconds (see README); a host that must never
/// wait for a server records through `QuestionRecorder`.
public final class QuestionLog: @unchecked Sendable {
    /// The schema version this library writes (`LogSchema`).
    public static let schemaVersion = LogSchema.version
    /// How long a writer waits for another one's lock before failing.
    public static let busyTimeoutMilliseconds: Int32 = 5000

    /// The location as given: a file path, or a PostgreSQL URI with its password masked.
    public let path: String
    /// Masks personal data in every question before it is stored (the built-in kinds by
    /// default: e-mail, phone, NIR, IBAN, card); nil stores questions as given.
    public let masking: Anonymizer?
    private var connection: (any LogDatabase)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let onFailure: (@Sendable (ChatbotError) -> Void)?
    private var _firstFailure: ChatbotError?
    private var _failureCount = 0

    /// Opens (creating or migrating it) the log at `path`; throws when it cannot be opened,
    /// or when its schema is newer than this library's. For review and statistics tools.
    public init(path: String, readOnly: Bool = false, masking: Anonymizer? = QuestionLog.defaultMasking) throws(ChatbotError) {
        self.path = Self.displayed(path)
        self.masking = masking
        mutex = Self.makeMutex()
        onFailure = nil
        connection = try Self.open(path, readOnly: readOnly)
    }

    /// Opens the log for recording without ever throwing: a failure to open is reported
    /// once through `onFailure` (and `firstFailure`) and every `record` then returns nil.
    public init(recordingTo path: String, masking: Anonymizer? = QuestionLog.defaultMasking,
                onFailure: (@Sendable (ChatbotError) -> Void)? = nil) {
        self.path = Self.displayed(path)
        self.masking = masking
        mutex = Self.makeMutex()
        self.onFailure = onFailure
        do {
            connection = try Self.open(path, readOnly: false)
        } catch {
            connection = nil
            noteFailure(error)
            // A server down when the host starts: open it when it comes up.
            if error.code == PostgresConnection.unreachableCode {
                reopenLocation = path
                lastOpenAttempt = monotonicMilliseconds()
            }
        }
    }

    /// A PostgreSQL location that could not be reached at open, tried again at most once per
    /// `PostgresConnection.retryIntervalMilliseconds` (`QuestionLog(recordingTo:)` only).
    private var reopenLocation: String?
    private var lastOpenAttempt: Int64 = 0

    /// The connection, opening it first when a server unreachable at open may be back (the
    /// mutex is held). Nil while there is none.
    private func openConnection() -> (any LogDatabase)? {
        if let connection { return connection }
        guard let location = reopenLocation, monotonicMilliseconds() - lastOpenAttempt >= PostgresConnection.retryIntervalMilliseconds else {
            return nil
        }
        lastOpenAttempt = monotonicMilliseconds()
        do {
            connection = try Self.open(location, readOnly: false)
        } catch {
            // Reachable now, but refused (a newer schema…): no point in trying again.
            if error.code != PostgresConnection.unreachableCode {
                reopenLocation = nil
                noteFailure(error)
            }
        }
        return connection
    }

    deinit {
        connection = nil
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private static func makeMutex() -> UnsafeMutablePointer<pthread_mutex_t> {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }

    private func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// The first failure of `record`, nil when every record succeeded.
    public var firstFailure: ChatbotError? { locked { _firstFailure } }
    /// How many records failed.
    public var failureCount: Int { locked { _failureCount } }

    /// Counts rows that the recorder gave up on (see `QuestionRecorder`), as failures.
    func noteAbandoned(_ count: Int) {
        guard count > 0 else { return }
        locked {
            noteFailure(.io("question log \(path): \(count) queued row\(count == 1 ? "" : "s") dropped: the database was still unreachable when the log was closed"))
            _failureCount += count - 1
        }
    }

    private func noteFailure(_ error: ChatbotError) {
        _failureCount += 1
        if _firstFailure == nil {
            _firstFailure = error
            onFailure?(error)
        }
    }

    private func db() throws(ChatbotError) -> any LogDatabase {
        guard let connection = openConnection() else { throw _firstFailure ?? .invalidArgument("question log \(path) is not open") }
        if connection.isLost { _ = connection.reconnect() }
        return connection
    }

    /// Whether `location` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgreSQL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    private static func displayed(_ location: String) -> String {
        isPostgreSQL(location) ? PostgresConnection.redacted(location) : location
    }

    // MARK: Schema

    /// The built-in kinds of the anonymiser (no host pattern, so it cannot fail to build).
    public static let defaultMasking: Anonymizer? = try? Anonymizer()

    private static func open(_ location: String, readOnly: Bool) throws(ChatbotError) -> any LogDatabase {
        let c: any LogDatabase
        if isPostgreSQL(location) {
            c = try PostgresConnection(uri: location, readOnly: readOnly)
        } else {
            c = try openSQLite(location, readOnly: readOnly)
        }
        try LogSchema.migrate(c, location: displayed(location), readOnly: readOnly)
        return c
    }

    private static func openSQLite(_ path: String, readOnly: Bool) throws(ChatbotError) -> SQLiteConnection {
        let c = try SQLiteConnection(path: path, readOnly: readOnly)
        sqlite3_busy_timeout(c.handle, busyTimeoutMilliseconds)
        // Refuse a newer file before writing anything to it (not even the journal mode).
        let version = try LogSchema.storedVersion(c)
        guard version <= schemaVersion else { throw .newerSchema(path: path, found: version, supported: schemaVersion) }
        if readOnly { return c }
        // Switching to WAL needs a moment's exclusive access; with another process opening the
        // same new file it may answer "busy" without waiting, so retry for the busy timeout.
        var waited: Int32 = 0
        while try !c.executeUnlessBusy("PRAGMA journal_mode = WAL") {
            guard waited < busyTimeoutMilliseconds else {
                try c.execute("PRAGMA journal_mode = WAL")  // throws the "busy" error, worded as any other
                break
            }
            usleep(10_000)
            waited += 10
        }
        // In WAL mode, NORMAL loses no committed row on a process crash (only on power loss).
        try c.execute("PRAGMA synchronous = NORMAL")
        return c
    }

    /// The schema version stored in the database.
    public func storedSchemaVersion() throws(ChatbotError) -> Int {
        try locked { () throws(ChatbotError) in try LogSchema.storedVersion(try db()) }
    }

    // MARK: Recording

    /// A row whose key is already stored was written by an earlier try of its batch.
    static let insertSQL = """
    INSERT INTO questions (time_ms, conversation, channel, kind, question, question_key, decision, matches,
        best_item, best_confidence, best_category, reply, latency_us, kb_version, host, record_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_key) DO NOTHING
    """

    /// `insertSQL` for several rows at once.
    static func insertSQL(rows: Int) -> String {
        let one = "(" + Array(repeating: "?", count: 16).joined(separator: ", ") + ")"
        let head = insertSQL[..<insertSQL.firstRange(of: "VALUES")!.upperBound]
        return head + " " + Array(repeating: one, count: rows).joined(separator: ", ") + " ON CONFLICT (record_key) DO NOTHING"
    }

    /// What became of a batch (`record(batch:)`).
    enum BatchOutcome: Equatable {
        /// Every row is stored.
        case written
        /// No row was stored, and none will be: counted in `failureCount`.
        case failed
        /// The server is unreachable: nothing is counted yet, the batch may be written again
        /// (each row once, by its `recordKey`).
        case unreachable
    }

    /// Writes rows in one transaction (`QuestionRecorder`), never throwing.
    func record(batch: [QuestionRecord]) -> BatchOutcome {
        guard !batch.isEmpty else { return .written }
        let rows = batch.map { values(of: $0) }
        return locked { () -> BatchOutcome in
            guard let c = openConnection() else {
                if reopenLocation != nil { return .unreachable }
                _failureCount += batch.count
                return .failed
            }
            if c.isLost && !c.reconnect() { return .unreachable }
            do throws(ChatbotError) {
                try c.inTransaction { () throws(ChatbotError) in
                    if c.dialect == .postgresql {
                        // One statement per 100 rows: a round trip per row to the server
                        // would bound the writer at a few thousand rows a second.
                        for start in stride(from: 0, to: rows.count, by: 100) {
                            let chunk = rows[start..<min(rows.count, start + 100)]
                            try c.run(Self.insertSQL(rows: chunk.count), chunk.flatMap { $0 })
                        }
                    } else {
                        for values in rows { _ = try c.insert(Self.insertSQL, values) }
                    }
                }
                return .written
            } catch {
                if c.isLost { return .unreachable }
                noteFailure(error)
                _failureCount += batch.count - 1
                return .failed
            }
        }
    }

    /// The name of this host, stored with every row (which app server logged it).
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// The row's values, the question masked first: personal data never reaches the database.
    private func values(of r: QuestionRecord) -> [SQLValue] {
        var r = r
        if let masking { r.question = masking.anonymize(r.question).text }
        return [
            .int(r.timeMilliseconds ?? currentTimeMilliseconds()), .text(r.conversation), .optional(r.channel),
            .text(r.kind.rawValue), .text(r.question), .text(questionKey(r.question)), .text(r.decision.rawValue),
            .text(r.matchesJSON), .optional(r.bestItem), .optional(r.bestConfidence), .optional(r.bestCategory),
            .text(r.replyJSON), .int(r.latencyMicroseconds), .text(r.knowledgeBaseVersion),
            .text(Self.hostName), .text(r.recordKey ?? QuestionRecord.newRecordKey()),
        ]
    }

    /// Writes one row, never throwing (see the type's documentation): the row's id, or nil.
    @discardableResult
    public func record(_ r: QuestionRecord) -> Int64? {
        // Work that needs no lock is done before taking it.
        let values = values(of: r)
        return locked { () -> Int64? in
            guard let c = openConnection() else {
                _failureCount += 1
                return nil
            }
            if c.isLost && !c.reconnect() {
                noteFailure(.postgres("cannot record into \(path)", message: "the connection is lost", sqlState: nil))
                return nil
            }
            do throws(ChatbotError) {
                return try c.insert(Self.insertSQL, values)
            } catch {
                noteFailure(error)
                return nil
            }
        }
    }

    // MARK: Reading

    static let columns = """
    id, time_ms, conversation, channel, kind, question, decision, matches, best_item, best_confidence,
    best_category, reply, latency_us, kb_version, status, target_item, feedback, applied
    """

    static func readRow(_ s: any SQLRow) -> LoggedQuestion {
        var matches: [LoggedMatch] = []
        if case .array(let a)? = try? JSONValue.parse(bytes: Array(s.text(7).utf8)) {
            for m in a {
                if case .string(let id)? = m["id"], case .number(let score)? = m["score"] {
                    matches.append(LoggedMatch(id: id, score: score))
                }
            }
        }
        return LoggedQuestion(
            id: s.int(0), timeMilliseconds: s.int(1), conversation: s.text(2), channel: s.optionalText(3),
            kind: QuestionKind(rawValue: s.text(4)) ?? .question, question: s.text(5),
            decision: Decision(rawValue: s.text(6)) ?? .fallback, matches: matches, bestItem: s.optionalText(8),
            bestConfidence: s.optionalDouble(9), bestCategory: s.optionalText(10), replyJSON: s.text(11),
            latencyMicroseconds: s.int(12), knowledgeBaseVersion: s.text(13),
            status: ReviewStatus(rawValue: s.text(14)) ?? .new, targetItem: s.optionalText(15),
            feedback: s.optionalText(16).flatMap(Feedback.init(rawValue:)), applied: s.int(17) != 0)
    }

    /// The logged question with this id, nil when there is none.
    public func question(id: Int64) throws(ChatbotError) -> LoggedQuestion? {
        try locked { () throws(ChatbotError) in
            try db().rows("SELECT \(Self.columns) FROM questions WHERE id = ?", [.int(id)], Self.readRow).first
        }
    }

    /// Number of rows (every kind).
    public func count() throws(ChatbotError) -> Int {
        try withLongConnection { c throws(ChatbotError) in Int(try c.scalar("SELECT count(*) FROM questions") ?? 0) }
    }

    // MARK: Feedback and retention

    /// Attaches the user's feedback to a logged question (a second call replaces it).
    @discardableResult
    public func setFeedback(_ feedback: Feedback, forQuestion id: Int64,
                            timeMilliseconds: Int64? = nil) throws(ChatbotError) -> ReviewOutcome {
        try locked { () throws(ChatbotError) in
            let c = try db()
            let n = try c.run("UPDATE questions SET feedback = ?, feedback_ms = ? WHERE id = ? AND (feedback IS NULL OR feedback != ?)",
                              [.text(feedback.rawValue), .int(timeMilliseconds ?? currentTimeMilliseconds()), .int(id),
                               .text(feedback.rawValue)])
            if n > 0 { return .changed }
            guard try c.scalar("SELECT 1 FROM questions WHERE id = ?", [.int(id)]) != nil else { throw .unknownQuestion(id) }
            return .unchanged
        }
    }

    /// Blanks the question and reply texts of rows older than `days` days (before now, or
    /// before `nowMilliseconds`), keeping everything counted: decisions, items, latencies,
    /// feedback, review status. Returns how many rows were blanked.
    @discardableResult
    public func purgeTexts(olderThan days: Int, nowMilliseconds: Int64? = nil) throws(ChatbotError) -> Int {
        guard days >= 0 else { throw .invalidArgument("the retention period must be 0 days or more, got \(days)") }
        let cutoff = (nowMilliseconds ?? currentTimeMilliseconds()) - Int64(days) * 86_400_000
        return try withLongConnection { c throws(ChatbotError) in
            try c.run("UPDATE questions SET question = '', question_key = '', reply = '', purged = 1 WHERE time_ms < ? AND purged = 0",
                      [.int(cutoff)])
        }
    }

    // MARK: Review inbox

    /// The typed questions of a band still `new`, newest first (all bands when nil).
    public func inbox(band: ReviewBand? = nil, limit: Int = 100) throws(ChatbotError) -> [LoggedQuestion] {
        guard limit >= 0 else { throw .invalidArgument("the limit must be 0 or more, got \(limit)") }
        let t = ReviewBand.confirmedThreshold
        let condition: String
        switch band {
        case nil: condition = "1 = 1"
        case .confirmed?: condition = "decision = 'answer' AND best_confidence >= \(t)"
        case .toVerify?: condition = "((decision = 'answer' AND (best_confidence < \(t) OR best_confidence IS NULL)) OR decision = 'suggest')"
        case .pending?: condition = "decision = 'fallback'"
        }
        return try withLongConnection { c throws(ChatbotError) in
            try c.rows("SELECT \(Self.columns) FROM questions WHERE status = 'new' AND kind = 'question' AND \(condition) "
                          + "ORDER BY time_ms DESC, id DESC LIMIT ?", [.int(Int64(limit))], Self.readRow)
        }
    }

    /// Accepts a typed question: it is to become an alternative question of `item`, by
    /// default its best match. Repeating it changes nothing.
    @discardableResult
    public func accept(_ id: Int64, item: String? = nil) throws(ChatbotError) -> ReviewOutcome {
        try review(id, status: .accepted, item: item, needsItem: true)
    }

    /// Links a typed question to another item (it is to become one of that item's questions).
    @discardableResult
    public func relink(_ id: Int64, to item: String) throws(ChatbotError) -> ReviewOutcome {
        try review(id, status: .relinked, item: item, needsItem: true)
    }

    /// Marks a question out of scope (it is to become an example of `phrase_hors_sujet`).
    @discardableResult
    public func markOutOfScope(_ id: Int64) throws(ChatbotError) -> ReviewOutcome {
        try review(id, status: .outOfScope, item: ItemRole.fallbackID, needsItem: false)
    }

    /// Archives a question: reviewed, nothing to change in the base.
    @discardableResult
    public func archive(_ id: Int64) throws(ChatbotError) -> ReviewOutcome {
        try review(id, status: .archived, item: nil, needsItem: false)
    }

    private func review(_ id: Int64, status: ReviewStatus, item: String?, needsItem: Bool) throws(ChatbotError) -> ReviewOutcome {
        if let item, item.isEmpty || item.contains(where: { $0.isNewline }) {
            throw .invalidArgument("invalid item id \"\(item)\"")
        }
        return try locked { () throws(ChatbotError) in
            let c = try db()
            guard let row = try c.rows("SELECT \(Self.columns) FROM questions WHERE id = ?", [.int(id)], Self.readRow).first else {
                throw .unknownQuestion(id)
            }
            var target = item
            if needsItem {
                if target == nil { target = row.bestItem }
                guard let t = target else { throw .invalidArgument("question \(id) has no best item: give the item to link it to") }
                guard ItemRole(id: t) != .fallback else {
                    throw .invalidArgument("question \(id): to add it to \(ItemRole.fallbackID), mark it out of scope")
                }
            }
            if status != .archived && row.question.isEmpty {
                throw .invalidArgument("question \(id) has been purged: its text is gone")
            }
            if row.kind != .question && status != .archived {
                throw .invalidArgument("entry \(id) is a \(row.kind.rawValue), not a typed question")
            }
            if row.status == status && row.targetItem == target { return .unchanged }
            // Conditional, so that of two reviewers (two hosts) doing the same action at once
            // exactly one changes the row; `target` is never empty, hence the coalesce.
            let n = try c.run("UPDATE questions SET status = ?, target_item = ?, reviewed_ms = ?, applied = 0 "
                              + "WHERE id = ? AND NOT (status = ? AND coalesce(target_item, '') = ?)",
                              [.text(status.rawValue), .optional(target), .int(currentTimeMilliseconds()), .int(id),
                               .text(status.rawValue), .text(target ?? "")])
            return n > 0 ? .changed : .unchanged
        }
    }

    /// Accepted and relinked questions not yet applied to the knowledge base, oldest first:
    /// each is to become an alternative question of `itemID`.
    public func acceptedQuestions() throws(ChatbotError) -> [ReviewedQuestion] {
        try reviewed("status IN ('accepted', 'relinked')")
    }

    /// Out-of-scope questions not yet applied, oldest first (`itemID` is `phrase_hors_sujet`).
    public func outOfScopeQuestions() throws(ChatbotError) -> [ReviewedQuestion] {
        try reviewed("status = 'out_of_scope'")
    }

    private func reviewed(_ condition: String) throws(ChatbotError) -> [ReviewedQuestion] {
        try withLongConnection { c throws(ChatbotError) in
            try c.rows("SELECT id, target_item, question FROM questions WHERE applied = 0 AND \(condition) AND question != '' ORDER BY id") {
                ReviewedQuestion(id: $0.int(0), itemID: $0.text(1), question: $0.text(2))
            }
        }
    }

    /// Records that these questions' review actions are now in the knowledge base (they leave
    /// `acceptedQuestions` / `outOfScopeQuestions`). Ids that are not accepted, relinked or
    /// out of scope are ignored. Returns how many rows changed.
    @discardableResult
    public func markApplied(_ ids: [Int64]) throws(ChatbotError) -> Int {
        try locked { () throws(ChatbotError) in
            let c = try db()
            return try c.inTransaction { () throws(ChatbotError) in
                var n = 0
                for id in ids {
                    n += try c.run("UPDATE questions SET applied = 1 WHERE id = ? AND applied = 0 AND status IN ('accepted', 'relinked', 'out_of_scope')",
                                   [.int(id)])
                }
                return n
            }
        }
    }

    // MARK: Statistics access

    func withConnection<T>(_ body: (any LogDatabase) throws(ChatbotError) -> T) throws(ChatbotError) -> T {
        try locked { () throws(ChatbotError) in try body(try db()) }
    }

    /// `withConnection` for reads and updates over the whole log (statistics, inbox, purge),
    /// which may take longer than a record.
    func withLongConnection<T>(_ body: (any LogDatabase) throws(ChatbotError) -> T) throws(ChatbotError) -> T {
        try locked { () throws(ChatbotError) in
            let c = try db()
            return try c.withLongAnswers { () throws(ChatbotError) in try body(c) }
        }
    }
}
