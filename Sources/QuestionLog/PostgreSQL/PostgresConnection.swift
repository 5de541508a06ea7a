#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors

/// One connection to a PostgreSQL server through libpq (not thread-safe: `QuestionLog`
/// serialises access). Parameters travel as text, results come back as text.
///
/// Bounds on waiting, so that a server restart, a network drop or a stalled server never
/// holds a host for long: unless the location sets them, `connect_timeout` is 2 s (libpq's
/// smallest) and `tcp_user_timeout` 5 s, with TCP keepalives after 5 s idle; and no
/// statement waits for its answer more than `answerTimeoutMilliseconds`: queries are sent
/// with libpq's asynchronous calls and the socket is polled against that deadline, after
/// which the connection is dropped and counted as lost. A lost connection is tried again at
/// most once per `retryIntervalMilliseconds`, never in a loop.
final class PostgresConnection: LogDatabase {
    static let retryIntervalMilliseconds: Int64 = 1000
    /// `ChatbotError.code` of the failures that a later try may not have: the server cannot
    /// be reached, or did not answer in time.
    static let unreachableCode = "unreachable"
    /// The longest wait for one statement's answer (a batch of 100 rows is one statement).
    static let answerTimeoutMilliseconds: Int32 = 5000
    /// The same for statistics and review reads over a large log (`withLongAnswers`).
    static let longAnswerTimeoutMilliseconds: Int32 = 600_000
    private var answerTimeout = PostgresConnection.answerTimeoutMilliseconds

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
            var error = ChatbotError.postgres("cannot connect to \(location)", message: message, sqlState: nil)
            error.code = Self.unreachableCode
            throw error
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

    func withLongAnswers<T>(_ body: () throws(ChatbotError) -> T) throws(ChatbotError) -> T {
        let saved = answerTimeout
        answerTimeout = Self.longAnswerTimeoutMilliseconds
        defer { answerTimeout = saved }
        return try body()
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
        var error = ChatbotError.postgres("\(sql.prefix(60))", message: message.isEmpty ? "no answer from the server" : message, sqlState: state)
        if pq.status(conn) != LibPQ.connectionOK {
            isLost = true
            lastAttempt = monotonicMilliseconds()
            error.code = Self.unreachableCode
        }
        throw error
    }

    func execute(_ sql: String) throws(ChatbotError) {
        guard !isLost else { throw lostError }
        let r = try answer(sent: pq.sendQuery(conn, sql) == 1, sql)
        try check(r, sql)
        pq.clear(r)
    }

    /// Waits for the answer to the statement just sent, at most `answerTimeoutMilliseconds`:
    /// its last result (the first failed one, for several statements), nil when libpq failed.
    private func answer(sent: Bool, _ sql: String) throws(ChatbotError) -> OpaquePointer? {
        guard sent else { return nil }  // check() reports libpq's message
        let deadline = monotonicMilliseconds() + Int64(answerTimeout)
        while pq.isBusy(conn) != 0 {
            let remaining = deadline - monotonicMilliseconds()
            var fd = pollfd(fd: pq.socket(conn), events: Int16(POLLIN), revents: 0)
            let ready = remaining > 0 ? poll(&fd, 1, Int32(remaining)) : 0
            if ready == 0 || (ready < 0 && errno != EINTR) {
                // The server or the network stalls: this connection is given up (a late
                // COMMIT is harmless: rows carry their record_key) and another made later.
                isLost = true
                lastAttempt = monotonicMilliseconds()
                pq.finish(conn)
                conn = nil
                var error = ChatbotError.postgres("\(sql.prefix(60))", message: "no answer from \(location) within \(answerTimeout / 1000) s",
                                                  sqlState: nil)
                error.code = Self.unreachableCode
                throw error
            }
            if ready > 0 && pq.consumeInput(conn) == 0 { break }  // the connection failed: getResult says so
        }
        var kept: OpaquePointer?
        while let r = pq.getResult(conn) {
            // The first failure if any, else the last result.
            if let k = kept, isFailure(k) {
                pq.clear(r)
            } else {
                pq.clear(kept)
                kept = r
            }
        }
        return kept
    }

    private func isFailure(_ r: OpaquePointer) -> Bool {
        let status = pq.resultStatus(r)
        return status != LibPQ.commandOK && status != LibPQ.tuplesOK
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
        let sent = texts.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) {
                pq.sendQueryParams(conn, text, Int32($0.count), nil, $0.baseAddress, nil, nil, 0) == 1
            }
        }
        let r = try answer(sent: sent, sql)
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
