import ChatbotErrors
import CSQLite

/// SQLITE_TRANSIENT: SQLite copies bound text before `bind` returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection (not thread-safe: `QuestionLog` serialises access).
final class SQLiteConnection: LogDatabase {
    let handle: OpaquePointer
    let path: String
    private var cache: [String: Statement] = [:]
    var dialect: SQLDialect { .sqlite }
    var isLost: Bool { false }
    func reconnect() -> Bool { true }
    func withLongAnswers<T>(_ body: () throws(ChatbotError) -> T) throws(ChatbotError) -> T { try body() }

    init(path: String, readOnly: Bool) throws(ChatbotError) {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw .database("cannot open \(path)", code: rc, message: message)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ what: String, _ rc: Int32) -> ChatbotError {
        .database(what, code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Runs statements without results (schema, pragmas, transactions).
    func execute(_ sql: String) throws(ChatbotError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error("\(sql.prefix(60))", rc) }
    }

    /// Runs statements without results, and answers SQLite's result code instead of
    /// throwing when it is "busy" or "locked", for a caller that waits and tries again.
    func executeUnlessBusy(_ sql: String) throws(ChatbotError) -> Bool {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        if rc & 0xff == SQLITE_BUSY || rc & 0xff == SQLITE_LOCKED { return false }
        guard rc == SQLITE_OK else { throw error("\(sql.prefix(60))", rc) }
        return true
    }

    /// A prepared statement, compiled once per connection and reused.
    func statement(_ sql: String) throws(ChatbotError) -> Statement {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error("cannot prepare \(sql.prefix(60))", rc) }
        let s = Statement(stmt, connection: self)
        cache[sql] = s
        return s
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Every row, read by `row`.
    func rows<T>(_ sql: String, _ values: [SQLValue], _ row: (any SQLRow) -> T) throws(ChatbotError) -> [T] {
        let s = try statement(sql)
        try s.bind(values)
        defer { s.reset() }
        var out: [T] = []
        while try s.step() { out.append(row(s)) }
        return out
    }

    /// Runs a statement without results; returns the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue]) throws(ChatbotError) -> Int {
        let s = try statement(sql)
        try s.bind(values)
        defer { s.reset() }
        while try s.step() {}
        return changes
    }

    func insert(_ sql: String, _ values: [SQLValue]) throws(ChatbotError) -> Int64? {
        try run(sql, values) > 0 ? lastInsertRowID : nil
    }
}

final class Statement: SQLRow {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ values: [SQLValue]) throws(ChatbotError) {
        for (i, v) in values.enumerated() {
            let k = Int32(i + 1)
            let rc: Int32
            switch v {
            case .int(let x): rc = sqlite3_bind_int64(handle, k, x)
            case .double(let x): rc = sqlite3_bind_double(handle, k, x)
            case .text(let x): rc = sqlite3_bind_text(handle, k, x, -1, transient)
            case .null: rc = sqlite3_bind_null(handle, k)
            }
            guard rc == SQLITE_OK else { throw connection.error("cannot bind parameter \(k)", rc) }
        }
    }

    /// Advances; true when a row is available, false when done.
    func step() throws(ChatbotError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let e = connection.error(String(cString: sqlite3_sql(handle)).prefix(60).description, rc)
            sqlite3_reset(handle)
            throw e
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}
