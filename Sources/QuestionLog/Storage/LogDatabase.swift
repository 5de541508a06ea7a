import ChatbotErrors

/// A value bound to a statement's parameter (`?` in the SQL text, numbered from 1).
enum SQLValue {
    case int(Int64)
    case double(Double)
    case text(String)
    case null

    static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    static func optional(_ d: Double?) -> SQLValue { d.map { .double($0) } ?? .null }
}

/// One row of a result, read by column (numbered from 0).
protocol SQLRow {
    func isNull(_ column: Int32) -> Bool
    func int(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func text(_ column: Int32) -> String
}

extension SQLRow {
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
}

/// The SQL spoken by a backend, where the two differ.
enum SQLDialect: Sendable {
    case sqlite
    case postgresql

    /// Starts a transaction that writes. SQLite's IMMEDIATE takes the write lock at once, so
    /// that two writers queue on the busy timeout instead of one failing at its first write.
    var beginWrite: String { self == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN" }
}

/// What the question log needs of a connection to its database: the same SQL (with `?`
/// parameters) runs on SQLite (`SQLiteConnection`) and PostgreSQL (`PostgresConnection`).
/// Not thread-safe: `QuestionLog` serialises access.
protocol LogDatabase: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs statements without parameters or results (schema, transactions).
    func execute(_ sql: String) throws(ChatbotError)
    /// Every row of a query, read by `row`.
    func rows<T>(_ sql: String, _ values: [SQLValue], _ row: (any SQLRow) -> T) throws(ChatbotError) -> [T]
    /// Runs a statement without results; the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue]) throws(ChatbotError) -> Int
    /// Runs an INSERT of one row into `questions`; its id, or nil when an
    /// `ON CONFLICT DO NOTHING` clause skipped it.
    func insert(_ sql: String, _ values: [SQLValue]) throws(ChatbotError) -> Int64?
    /// True once the connection to the server is lost; a file never is.
    var isLost: Bool { get }
    /// Tries to connect again (at most once per `retryInterval`); true when connected.
    func reconnect() -> Bool
    /// Runs `body` with a wait for each answer long enough for statistics over a large log
    /// (a server's statements are otherwise given up after a few seconds; a file's never are).
    func withLongAnswers<T>(_ body: () throws(ChatbotError) -> T) throws(ChatbotError) -> T
}

extension LogDatabase {
    func rows<T>(_ sql: String, _ row: (any SQLRow) -> T) throws(ChatbotError) -> [T] { try rows(sql, [], row) }

    /// One integer (first column of the first row), nil when there is no row or it is NULL.
    func scalar(_ sql: String, _ values: [SQLValue] = []) throws(ChatbotError) -> Int64? {
        try rows(sql, values) { $0.isNull(0) ? nil : $0.int(0) }.first ?? nil
    }

    /// Runs `body` in a write transaction, rolled back when it throws.
    func inTransaction<T>(_ body: () throws(ChatbotError) -> T) throws(ChatbotError) -> T {
        try execute(dialect.beginWrite)
        do throws(ChatbotError) {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if !isLost { try? execute("ROLLBACK") }
            throw error
        }
    }
}
