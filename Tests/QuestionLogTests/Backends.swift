#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Synchronization
import Testing
@testable import QuestionLog

/// The storage backends a test runs on: SQLite always; PostgreSQL too when
/// `CHATBOT_TEST_POSTGRESQL` names a server (`make test` starts a throw-away one on
/// loopback, see scripts/with-postgres.sh), so that one suite checks both.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgresql

    var testDescription: String { rawValue }

    static let postgresURL: String? = getenv("CHATBOT_TEST_POSTGRESQL").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    static let available: [Backend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgresql]
}

/// A fresh, empty log location: a file in a temporary directory, or a PostgreSQL schema of
/// its own (the location's search_path names it), so that tests running at once share
/// nothing. `remove()` deletes it.
final class TestStore: @unchecked Sendable {
    let backend: Backend
    let location: String
    private let dir: String?
    private let schema: String?
    private let serverURL: String?
    private static let counter = Atomic<Int>(0)

    init(_ backend: Backend, serverURL: String? = Backend.postgresURL) throws {
        self.backend = backend
        self.serverURL = serverURL
        switch backend {
        case .sqlite:
            let d = temporaryDirectory()
            dir = d
            schema = nil
            location = d + "/log.db"
        case .postgresql:
            let url = try #require(serverURL)
            let name = "t\(getpid())_\(Self.counter.add(1, ordering: .relaxed).newValue)"
            try Self.admin(url) { c throws(ChatbotError) in try c.execute("CREATE SCHEMA \(name)") }
            dir = nil
            schema = name
            location = url + "?options=-csearch_path%3D" + name
        }
    }

    /// Runs `body` on a connection to the server itself (no schema).
    static func admin<T>(_ url: String, _ body: (PostgresConnection) throws(ChatbotError) -> T) throws -> T {
        let c = try PostgresConnection(uri: url, readOnly: false)
        return try body(c)
    }

    /// A raw connection to this store, for tests that set up or inspect the database.
    func connection() throws -> any LogDatabase {
        switch backend {
        case .sqlite: return try SQLiteConnection(path: location, readOnly: false)
        case .postgresql: return try PostgresConnection(uri: location, readOnly: false)
        }
    }

    func remove() {
        if let dir { cleanup(dir) }
        if let schema, let url = serverURL {
            _ = try? Self.admin(url) { c throws(ChatbotError) in try c.execute("DROP SCHEMA \(schema) CASCADE") }
        }
    }
}
