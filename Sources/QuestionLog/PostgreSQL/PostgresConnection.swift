#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors

/// One connection to a PostgreSQL server through libpq (not thread-safe: `QuestionLog`
/// serialises access). Parameters travel as text, results come back as text.
///
/// Bounds on waiting, so that a server restart or a network drop never stalls a host for
/// long: unless the location sets them, `connect_timeout` is 2 s (libpq's smallest) and
/// `tcp_user_timeout` 5 s, with TCP keepalives after 5 s idle. A lost connection is tried
/// again at most once per `retryIntervalMilliseconds`, never in a loop.
final class PostgresConnection: LogDatabase {
    static let retryIntervalMilliseconds: Int64 = 1000

    let pq: LibPQ
    /// The location with any password masked, for messages.
    let location: String
    private let uri: String
    private let readOnly: Bool
    private var conn: OpaquePointer?
    private(set) var isLost = false
    private var lastAttempt: Int64 = 0
    /// SQL with `?` placeholders → with `$n` ones.
    private var numbered: [String: String] = [:]
    var dialect: SQLDialect { .postgresql }

    init(uri: String, readOnly: Bool) throws(ChatbotError) {
        location = Self.redacted(uri)
        switch LibPQ.shared {
        case .success(let library): pq = library
        case .failure(let error): throw ChatbotError(.io, "question log \(location): \(error.message)")
        }
        self.uri = uri
        self.readOnly = readOnly
        conn = try connect()
        lastAttempt = monotonicMilliseconds()
    }

    deinit { pq.finish(conn) }

    private func connect() throws(ChatbotError) -> OpaquePointer {
        // Later keywords override earlier ones, and the location comes last: what it says wins.
        var settings: [(String, String)] = [("fallback_application_name", "libchatbot"), ("client_encoding", "UTF8"),
                                            ("tcp_user_timeout", "5000"), ("keepalives_idle", "5"),
                                            ("keepalives_interval", "2"), ("keepalives_count", "3")]
        if getenv("PGCONNECT_TIMEOUT") == nil { settings.append(("connect_timeout", "2")) }
        settings.append(("dbname", uri))
        let keys = settings.map { strdup($0.0) }, values = settings.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        let c: OpaquePointer? = withNullTerminated(keys) { k in withNullTerminated(values) { v in pq.connectdbParams(k, v, 1) } }
        guard let c, pq.status(c) == LibPQ.connectionOK else {
            let message = c.map { Self.trimmed(pq.errorMessage($0)) } ?? "out of memory"
            pq.finish(c)
            throw .postgres("cannot connect to \(location)", message: message, sqlState: nil)
        }
        // NOTICEs ("relation already exists, skipping") would be printed on the host's stderr.
        _ = pq.setNoticeProcessor(c, { _, _ in }, nil)
        if readOnly {
            let r = pq.exec(c, "SET default_transaction_read_only = on")
            defer { pq.clear(r) }
            guard pq.resultStatus(r) == LibPQ.commandOK else {
                let message = Self.trimmed(pq.errorMessage(c))
                pq.finish(c)
                throw .postgres("cannot open \(location) read-only", message: message, sqlState: nil)
            }
        }
        return c
    }

    func reconnect() -> Bool {
        guard isLost else { return true }
        let now = monotonicMilliseconds()
        guard now - lastAttempt >= Self.retryIntervalMilliseconds else { return false }
        lastAttempt = now
        guard let fresh = try? connect() else { return false }
        pq.finish(conn)
        conn = fresh
        numbered.removeAll()
        isLost = false
        return true
    }

    private var lostError: ChatbotError {
        .postgres("the connection to \(location) is lost", message: "retried at most once a second", sqlState: nil)
    }

    /// Checks a result; on failure notes a lost connection and throws the server's message.
    private func check(_ r: OpaquePointer?, _ sql: String) throws(ChatbotError) {
        let status = pq.resultStatus(r)
        if r != nil && (status == LibPQ.commandOK || status == LibPQ.tuplesOK) { return }
        let message = r.map { Self.trimmed(pq.resultErrorMessage($0)) } ?? Self.trimmed(pq.errorMessage(conn))
        let state = r.flatMap { pq.resultErrorField($0, LibPQ.diagSQLState) }.map { String(cString: $0) }
        pq.clear(r)
        if pq.status(conn) != LibPQ.connectionOK {
            isLost = true
            lastAttempt = monotonicMilliseconds()
        }
        throw .postgres("\(sql.prefix(60))", message: message.isEmpty ? "no answer from the server" : message, sqlState: state)
    }

    func execute(_ sql: String) throws(ChatbotError) {
        guard !isLost else { throw lostError }
        let r = pq.exec(conn, sql)
        try check(r, sql)
        pq.clear(r)
    }

    /// Runs `sql` with `values`; the caller clears the result.
    private func query(_ sql: String, _ values: [SQLValue]) throws(ChatbotError) -> OpaquePointer {
        guard !isLost else { throw lostError }
        let text = numberedPlaceholders(sql)
        let texts: [UnsafeMutablePointer<CChar>?] = values.map {
            switch $0 {
            case .null: return nil
            case .int(let x): return strdup(String(x))
            case .double(let x): return strdup(x.isFinite ? x.description : x.isNaN ? "NaN" : x > 0 ? "Infinity" : "-Infinity")
            case .text(let s): return strdup(s)
            }
        }
        defer { texts.forEach { free($0) } }
        let r = texts.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) {
                pq.execParams(conn, text, Int32($0.count), nil, $0.baseAddress, nil, nil, 0)
            }
        }
        try check(r, sql)
        return r!
    }

    func rows<T>(_ sql: String, _ values: [SQLValue], _ row: (any SQLRow) -> T) throws(ChatbotError) -> [T] {
        let r = try query(sql, values)
        defer { pq.clear(r) }
        return (0..<pq.ntuples(r)).map { row(PostgresRow(pq: pq, result: r, row: $0)) }
    }

    func run(_ sql: String, _ values: [SQLValue]) throws(ChatbotError) -> Int {
        let r = try query(sql, values)
        defer { pq.clear(r) }
        return pq.cmdTuples(r).flatMap { Int(String(cString: $0)) } ?? 0
    }

    func insert(_ sql: String, _ values: [SQLValue]) throws(ChatbotError) -> Int64? {
        try rows(sql + " RETURNING id", values) { $0.int(0) }.first
    }

    /// `?` → `$1`, `$2`… (outside quoted text), so that both backends share the SQL.
    private func numberedPlaceholders(_ sql: String) -> String {
        if let s = numbered[sql] { return s }
        var out = "", n = 0, quoted = false
        for ch in sql {
            if ch == "'" { quoted.toggle() }
            if ch == "?" && !quoted {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        numbered[sql] = out
        return out
    }

    private static func trimmed(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "" }
        var s = String(cString: p)
        while s.last?.isWhitespace == true { s.removeLast() }
        return s.replacingNewlines()
    }

    /// The location with the password of `user:password@` and of `password=` masked.
    static func redacted(_ uri: String) -> String {
        var s = Substring(uri)
        var out = ""
        if let scheme = s.firstRange(of: "://") {
            out += s[..<scheme.upperBound]
            s = s[scheme.upperBound...]
            let authorityEnd = s.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? s.endIndex
            if let at = s[..<authorityEnd].lastIndex(of: "@"), let colon = s[..<at].firstIndex(of: ":") {
                out += s[..<colon] + ":***"
                s = s[at...]
            }
        }
        out += s
        // password=… in the query string (or in a key=value conninfo).
        var result = ""
        var rest = Substring(out)
        while let r = rest.firstRange(of: "password=") {
            result += rest[..<r.upperBound] + "***"
            rest = rest[r.upperBound...]
            rest = rest[(rest.firstIndex(where: { $0 == "&" || $0 == " " }) ?? rest.endIndex)...]
        }
        return result + rest
    }
}

/// One row of a PostgreSQL result (text format).
struct PostgresRow: SQLRow {
    let pq: LibPQ
    let result: OpaquePointer
    let row: Int32

    func isNull(_ column: Int32) -> Bool { pq.getisnull(result, row, column) != 0 }
    func text(_ column: Int32) -> String {
        guard let p = pq.getvalue(result, row, column) else { return "" }
        let n = Int(pq.getlength(result, row, column))
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
    }
    func int(_ column: Int32) -> Int64 { Int64(text(column)) ?? 0 }
    func double(_ column: Int32) -> Double { Double(text(column)) ?? 0 }
}

private func withNullTerminated<R>(_ strings: [UnsafeMutablePointer<CChar>?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let list = strings.map { UnsafePointer($0) } + [nil]
    return list.withUnsafeBufferPointer { body($0.baseAddress!) }
}

func monotonicMilliseconds() -> Int64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000
}

extension String {
    /// libpq's messages span lines ("DETAIL: …"); one line reads better in a status message.
    func replacingNewlines() -> String {
        String(map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
