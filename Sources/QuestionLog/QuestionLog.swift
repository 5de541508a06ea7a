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
/// **Storage.** One SQLite file in WAL mode with a 5 s busy timeout: any number of processes
/// and threads may write to it at once; each record is one short transaction (a single
/// INSERT through a prepared statement). An instance holds one connection behind a mutex, so
/// one instance may be shared by threads.
///
/// **Logging never slows or fails a match.** `record` does not throw: it returns the new
/// row's id, or nil when the row could not be written. The first failure (an unwritable
/// path, a full disk, a lock held longer than the busy timeout, a refused schema) is passed
/// once to `onFailure` and kept in `firstFailure`; later failures only increment
/// `failureCount`. After a failure to open, `record` returns nil at once. The cost a match
/// pays is one INSERT, typically tens of microseconds (see README).
public final class QuestionLog: @unchecked Sendable {
    /// The schema version this library writes (`PRAGMA user_version`).
    public static let schemaVersion = 1
    /// How long a writer waits for another one's lock before failing.
    public static let busyTimeoutMilliseconds: Int32 = 5000

    public let path: String
    /// Masks personal data in every question before it is stored (the built-in kinds by
    /// default: e-mail, phone, NIR, IBAN, card); nil stores questions as given.
    public let masking: Anonymizer?
    private var connection: Connection?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let onFailure: (@Sendable (ChatbotError) -> Void)?
    private var _firstFailure: ChatbotError?
    private var _failureCount = 0

    /// Opens (creating or migrating it) the log at `path`; throws when it cannot be opened,
    /// or when its schema is newer than this library's. For review and statistics tools.
    public init(path: String, readOnly: Bool = false, masking: Anonymizer? = QuestionLog.defaultMasking) throws(ChatbotError) {
        self.path = path
        self.masking = masking
        mutex = Self.makeMutex()
        onFailure = nil
        connection = try Self.open(path, readOnly: readOnly)
    }

    /// Opens the log for recording without ever throwing: a failure to open is reported
    /// once through `onFailure` (and `firstFailure`) and every `record` then returns nil.
    public init(recordingTo path: String, masking: Anonymizer? = QuestionLog.defaultMasking,
                onFailure: (@Sendable (ChatbotError) -> Void)? = nil) {
        self.path = path
        self.masking = masking
        mutex = Self.makeMutex()
        self.onFailure = onFailure
        do {
            connection = try Self.open(path, readOnly: false)
        } catch {
            connection = nil
            noteFailure(error)
        }
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

    private func noteFailure(_ error: ChatbotError) {
        _failureCount += 1
        if _firstFailure == nil {
            _firstFailure = error
            onFailure?(error)
        }
    }

    private func db() throws(ChatbotError) -> Connection {
        guard let connection else { throw _firstFailure ?? .invalidArgument("question log \(path) is not open") }
        return connection
    }

    // MARK: Schema

    static let schema = """
    CREATE TABLE IF NOT EXISTS questions (
        id INTEGER PRIMARY KEY,
        time_ms INTEGER NOT NULL,
        conversation TEXT NOT NULL,
        channel TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('question', 'click', 'welcome')),
        question TEXT NOT NULL,
        question_key TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('answer', 'suggest', 'fallback')),
        matches TEXT NOT NULL,
        best_item TEXT,
        best_confidence REAL,
        best_category TEXT,
        reply TEXT NOT NULL,
        latency_us INTEGER NOT NULL,
        kb_version TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'accepted', 'relinked', 'out_of_scope', 'archived')),
        target_item TEXT,
        reviewed_ms INTEGER,
        applied INTEGER NOT NULL DEFAULT 0,
        feedback TEXT CHECK (feedback IN ('relevant', 'wrong', 'off_topic')),
        feedback_ms INTEGER,
        purged INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS questions_time ON questions (time_ms);
    CREATE INDEX IF NOT EXISTS questions_kind_time ON questions (kind, time_ms);
    CREATE INDEX IF NOT EXISTS questions_inbox ON questions (status, kind, decision, best_confidence);
    CREATE INDEX IF NOT EXISTS questions_review ON questions (applied, status);
    """

    /// The built-in kinds of the anonymiser (no host pattern, so it cannot fail to build).
    public static let defaultMasking: Anonymizer? = try? Anonymizer()

    private static func open(_ path: String, readOnly: Bool) throws(ChatbotError) -> Connection {
        let c = try Connection(path: path, readOnly: readOnly)
        sqlite3_busy_timeout(c.handle, busyTimeoutMilliseconds)
        // Refuse a newer file before writing anything to it.
        let version = Int(try c.scalar("PRAGMA user_version") ?? 0)
        guard version <= schemaVersion else {
            throw .newerSchema(path: path, found: version, supported: schemaVersion)
        }
        if readOnly {
            guard version == schemaVersion else {
                throw ChatbotError(.io, "\(path) is not a question log (schema version \(version))")
            }
            return c
        }
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
        if version < schemaVersion {
            // BEGIN IMMEDIATE takes the write lock: two processes creating the file at once
            // serialise here, and the second one sees the version the first one wrote.
            try c.execute("BEGIN IMMEDIATE")
            do throws(ChatbotError) {
                let current = Int(try c.scalar("PRAGMA user_version") ?? 0)
                if current > schemaVersion { throw .newerSchema(path: path, found: current, supported: schemaVersion) }
                if current < schemaVersion {
                    try c.execute(schema)
                    try c.execute("PRAGMA user_version = \(schemaVersion)")
                }
                try c.execute("COMMIT")
            } catch {
                try? c.execute("ROLLBACK")
                throw error
            }
        }
        return c
    }

    /// The schema version stored in the file.
    public func storedSchemaVersion() throws(ChatbotError) -> Int {
        try locked { () throws(ChatbotError) in Int(try db().scalar("PRAGMA user_version") ?? 0) }
    }

    // MARK: Recording

    static let insertSQL = """
    INSERT INTO questions (time_ms, conversation, channel, kind, question, question_key, decision, matches,
        best_item, best_confidence, best_category, reply, latency_us, kb_version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

    /// Writes rows in one transaction (`QuestionRecorder`), never throwing: how many were
    /// written (all or none).
    @discardableResult
    func record(batch: [QuestionRecord]) -> Int {
        guard !batch.isEmpty else { return 0 }
        let rows = batch.map { values(of: $0) }
        return locked { () -> Int in
            guard let c = connection else {
                _failureCount += batch.count
                return 0
            }
            do throws(ChatbotError) {
                try c.execute("BEGIN IMMEDIATE")
                do throws(ChatbotError) {
                    for values in rows { try c.run(Self.insertSQL, values) }
                    try c.execute("COMMIT")
                } catch {
                    try? c.execute("ROLLBACK")
                    throw error
                }
                return batch.count
            } catch {
                noteFailure(error)
                _failureCount += batch.count - 1
                return 0
            }
        }
    }

    /// The row's values, the question masked first: personal data never reaches the file.
    private func values(of r: QuestionRecord) -> [SQLValue] {
        var r = r
        if let masking { r.question = masking.anonymize(r.question).text }
        return [
            .int(r.timeMilliseconds ?? currentTimeMilliseconds()), .text(r.conversation), .optional(r.channel),
            .text(r.kind.rawValue), .text(r.question), .text(questionKey(r.question)), .text(r.decision.rawValue),
            .text(r.matchesJSON), .optional(r.bestItem), .optional(r.bestConfidence), .optional(r.bestCategory),
            .text(r.replyJSON), .int(r.latencyMicroseconds), .text(r.knowledgeBaseVersion),
        ]
    }

    /// Writes one row, never throwing (see the type's documentation): the row's id, or nil.
    @discardableResult
    public func record(_ r: QuestionRecord) -> Int64? {
        // Work that needs no lock is done before taking it.
        let values = values(of: r)
        return locked { () -> Int64? in
            guard let c = connection else {
                _failureCount += 1
                return nil
            }
            do throws(ChatbotError) {
                try c.run(Self.insertSQL, values)
                return c.lastInsertRowID
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

    static func readRow(_ s: Statement) -> LoggedQuestion {
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
        try locked { () throws(ChatbotError) in Int(try db().scalar("SELECT count(*) FROM questions") ?? 0) }
    }

    // MARK: Feedback and retention

    /// Attaches the user's feedback to a logged question (a second call replaces it).
    @discardableResult
    public func setFeedback(_ feedback: Feedback, forQuestion id: Int64,
                            timeMilliseconds: Int64? = nil) throws(ChatbotError) -> ReviewOutcome {
        try locked { () throws(ChatbotError) in
            let c = try db()
            let n = try c.run("UPDATE questions SET feedback = ?, feedback_ms = ? WHERE id = ? AND feedback IS NOT ?",
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
        return try locked { () throws(ChatbotError) in
            try db().run("UPDATE questions SET question = '', question_key = '', reply = '', purged = 1 WHERE time_ms < ? AND purged = 0",
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
        case nil: condition = "1"
        case .confirmed?: condition = "decision = 'answer' AND best_confidence >= \(t)"
        case .toVerify?: condition = "((decision = 'answer' AND (best_confidence < \(t) OR best_confidence IS NULL)) OR decision = 'suggest')"
        case .pending?: condition = "decision = 'fallback'"
        }
        return try locked { () throws(ChatbotError) in
            try db().rows("SELECT \(Self.columns) FROM questions WHERE status = 'new' AND kind = 'question' AND \(condition) "
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
            try c.run("UPDATE questions SET status = ?, target_item = ?, reviewed_ms = ?, applied = 0 WHERE id = ?",
                      [.text(status.rawValue), .optional(target), .int(currentTimeMilliseconds()), .int(id)])
            return .changed
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
        try locked { () throws(ChatbotError) in
            try db().rows("SELECT id, target_item, question FROM questions WHERE applied = 0 AND \(condition) AND question != '' ORDER BY id") {
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
            try c.execute("BEGIN IMMEDIATE")
            var n = 0
            do throws(ChatbotError) {
                for id in ids {
                    n += try c.run("UPDATE questions SET applied = 1 WHERE id = ? AND applied = 0 AND status IN ('accepted', 'relinked', 'out_of_scope')",
                                   [.int(id)])
                }
                try c.execute("COMMIT")
            } catch {
                try? c.execute("ROLLBACK")
                throw error
            }
            return n
        }
    }

    // MARK: Statistics access

    func withConnection<T>(_ body: (Connection) throws(ChatbotError) -> T) throws(ChatbotError) -> T {
        try locked { () throws(ChatbotError) in try body(try db()) }
    }
}
