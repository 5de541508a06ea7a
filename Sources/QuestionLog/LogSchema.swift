#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import CSQLite

/// The question log's schema and its versioned migrations, for both backends.
///
/// `steps(dialect)[v]` takes a database from version v to v + 1. Opening a log for writing
/// applies the missing steps in one transaction, serialised between processes (SQLite: the
/// write lock of BEGIN IMMEDIATE; PostgreSQL: a session-level advisory lock taken before BEGIN), so that
/// two hosts opening at once never race: the second sees the version the first wrote. A
/// database whose version is higher than `version` is refused, before anything is written.
/// The version lives in `PRAGMA user_version` (SQLite) or in table `chatbot_schema`
/// (PostgreSQL).
enum LogSchema {
    /// The version this library writes.
    static let version = 2
    /// The oldest version a read-only log may have: its reads need nothing newer.
    static let oldestReadable = 1

    /// Version 1: the questions table and its indexes.
    static let sqliteVersion1 = """
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
    """ + indexes

    /// The same table in PostgreSQL. Texts that statistics sort or group use the "C"
    /// collation, so that orders and `min` are byte orders, as in SQLite.
    static let postgresVersion1 = """
    CREATE TABLE IF NOT EXISTS chatbot_schema (version INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS questions (
        id BIGSERIAL PRIMARY KEY,
        time_ms BIGINT NOT NULL,
        conversation TEXT COLLATE "C" NOT NULL,
        channel TEXT COLLATE "C",
        kind TEXT NOT NULL CHECK (kind IN ('question', 'click', 'welcome')),
        question TEXT COLLATE "C" NOT NULL,
        question_key TEXT COLLATE "C" NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('answer', 'suggest', 'fallback')),
        matches TEXT NOT NULL,
        best_item TEXT COLLATE "C",
        best_confidence DOUBLE PRECISION,
        best_category TEXT COLLATE "C",
        reply TEXT NOT NULL,
        latency_us BIGINT NOT NULL,
        kb_version TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'accepted', 'relinked', 'out_of_scope', 'archived')),
        target_item TEXT COLLATE "C",
        reviewed_ms BIGINT,
        applied INTEGER NOT NULL DEFAULT 0,
        feedback TEXT CHECK (feedback IN ('relevant', 'wrong', 'off_topic')),
        feedback_ms BIGINT,
        purged INTEGER NOT NULL DEFAULT 0
    );
    """ + indexes

    private static let indexes = """
    CREATE INDEX IF NOT EXISTS questions_time ON questions (time_ms);
    CREATE INDEX IF NOT EXISTS questions_kind_time ON questions (kind, time_ms);
    CREATE INDEX IF NOT EXISTS questions_inbox ON questions (status, kind, decision, best_confidence);
    CREATE INDEX IF NOT EXISTS questions_review ON questions (applied, status);
    """

    /// Version 2, for several writers: which host wrote a row, and a key drawn by the writer
    /// so that a batch written again after a lost connection (whose COMMIT may or may not
    /// have reached the server) adds each row once.
    static let version2 = """
    ALTER TABLE questions ADD COLUMN host TEXT;
    ALTER TABLE questions ADD COLUMN record_key TEXT;
    CREATE UNIQUE INDEX IF NOT EXISTS questions_record_key ON questions (record_key);
    """

    static func steps(_ dialect: SQLDialect) -> [String] {
        [dialect == .sqlite ? sqliteVersion1 : postgresVersion1, version2]
    }

    /// The stored version (0: an empty database).
    static func storedVersion(_ c: any LogDatabase) throws(ChatbotError) -> Int {
        switch c.dialect {
        case .sqlite:
            return Int(try c.scalar("PRAGMA user_version") ?? 0)
        case .postgresql:
            guard try c.scalar("SELECT 1 WHERE to_regclass('chatbot_schema') IS NOT NULL") != nil else { return 0 }
            return Int(try c.scalar("SELECT max(version) FROM chatbot_schema") ?? 0)
        }
    }

    /// Checks the version and, unless `readOnly`, brings the database to `version`.
    static func migrate(_ c: any LogDatabase, location: String, readOnly: Bool) throws(ChatbotError) {
        let stored = try storedVersion(c)
        guard stored <= version else { throw .newerSchema(path: location, found: stored, supported: version) }
        if readOnly {
            guard stored >= oldestReadable else {
                throw ChatbotError(.io, "\(location) is not a question log (schema version \(stored))")
            }
            return
        }
        guard stored < version else { return }
        // Indexing a large existing log, or waiting for another host's migration, may take
        // longer than a record's answer is given.
        try c.withLongAnswers { () throws(ChatbotError) in try migrateNow(c, location: location) }
    }

    private static func migrateNow(_ c: any LogDatabase, location: String) throws(ChatbotError) {
        if c.dialect == .postgresql {
            // Any other opener of this database waits here. The lock is the session's, taken
            // before BEGIN, not a transaction-level one taken after it: a PostgreSQL backend
            // applies catalog changes that other sessions committed only when a transaction
            // starts (or it locks a relation), so a transaction begun while another host was
            // migrating would still find no chatbot_schema table and migrate a second time.
            try c.execute("SELECT pg_advisory_lock(\(advisoryLockKey))")
        }
        defer {
            // Closing the connection releases the lock too, should this fail.
            if c.dialect == .postgresql && !c.isLost { try? c.execute("SELECT pg_advisory_unlock(\(advisoryLockKey))") }
        }
        try c.inTransaction { () throws(ChatbotError) in
            let current = try storedVersion(c)
            guard current <= version else { throw .newerSchema(path: location, found: current, supported: version) }
            guard current < version else { return }
            for step in steps(c.dialect)[current..<version] { try c.execute(step) }
            switch c.dialect {
            case .sqlite: try c.execute("PRAGMA user_version = \(version)")
            case .postgresql: try c.execute("DELETE FROM chatbot_schema; INSERT INTO chatbot_schema VALUES (\(version))")
            }
        }
    }

    /// "chatbot" in ASCII: the advisory lock that serialises migrations.
    static let advisoryLockKey: Int64 = 0x63_68_61_74_62_6f_74
}
