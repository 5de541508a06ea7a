#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors

/// libpq, loaded with `dlopen` the first time a `postgresql://` log is opened.
///
/// Why not link it: libchatbot.so would then need libpq5 (and its Kerberos, LDAP and OpenSSL
/// dependencies) on every host, although most hosts log to a SQLite file. Loading it at run
/// time keeps the library's dependencies what they were; a host without libpq gets a clear
/// error when, and only when, it names a PostgreSQL log. The 25 functions used are declared
/// here from libpq-fe.h; their C signatures have not changed since PostgreSQL 9.x, and
/// libpq.so.5 is the soname of every release since 8.0.
///
/// `CHATBOT_LIBPQ` names another file to load (a libpq outside the loader's path).
final class LibPQ: @unchecked Sendable {
    typealias Conn = OpaquePointer
    typealias Result = OpaquePointer
    typealias NoticeProcessor = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void

    let connectdbParams: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Conn?
    let status: @convention(c) (Conn?) -> Int32
    let errorMessage: @convention(c) (Conn?) -> UnsafePointer<CChar>?
    let finish: @convention(c) (Conn?) -> Void
    let reset: @convention(c) (Conn?) -> Void
    let exec: @convention(c) (Conn?, UnsafePointer<CChar>?) -> Result?
    let execParams: @convention(c) (Conn?, UnsafePointer<CChar>?, Int32, UnsafePointer<UInt32>?,
                                    UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Result?
    let resultStatus: @convention(c) (Result?) -> Int32
    let resultErrorMessage: @convention(c) (Result?) -> UnsafePointer<CChar>?
    let resultErrorField: @convention(c) (Result?, Int32) -> UnsafePointer<CChar>?
    let clear: @convention(c) (Result?) -> Void
    let ntuples: @convention(c) (Result?) -> Int32
    let nfields: @convention(c) (Result?) -> Int32
    let getvalue: @convention(c) (Result?, Int32, Int32) -> UnsafePointer<CChar>?
    let getisnull: @convention(c) (Result?, Int32, Int32) -> Int32
    let getlength: @convention(c) (Result?, Int32, Int32) -> Int32
    let cmdTuples: @convention(c) (Result?) -> UnsafePointer<CChar>?
    let setNoticeProcessor: @convention(c) (Conn?, NoticeProcessor?, UnsafeMutableRawPointer?) -> NoticeProcessor?
    let libVersion: @convention(c) () -> Int32
    // The asynchronous calls, so that no call waits on the server beyond a deadline.
    let sendQuery: @convention(c) (Conn?, UnsafePointer<CChar>?) -> Int32
    let sendQueryParams: @convention(c) (Conn?, UnsafePointer<CChar>?, Int32, UnsafePointer<UInt32>?,
                                         UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Int32
    let getResult: @convention(c) (Conn?) -> Result?
    let consumeInput: @convention(c) (Conn?) -> Int32
    let isBusy: @convention(c) (Conn?) -> Int32
    let socket: @convention(c) (Conn?) -> Int32

    // libpq-fe.h's enums (ConnStatusType, ExecStatusType) and PG_DIAG_SQLSTATE.
    static let connectionOK: Int32 = 0
    static let commandOK: Int32 = 1
    static let tuplesOK: Int32 = 2
    static let diagSQLState = Int32(UInt8(ascii: "C"))

    /// The library's default file name (its soname).
    static let defaultFile = "libpq.so.5"

    private init(handle: UnsafeMutableRawPointer, file: String) throws(ChatbotError) {
        func symbol<T>(_ name: String, _: T.Type) throws(ChatbotError) -> T {
            guard let p = dlsym(handle, name) else {
                throw ChatbotError(.io, "\(file) has no \(name): it is not libpq, or too old (PostgreSQL 12 or later is needed)")
            }
            return unsafeBitCast(p, to: T.self)
        }
        connectdbParams = try symbol("PQconnectdbParams", type(of: connectdbParams))
        status = try symbol("PQstatus", type(of: status))
        errorMessage = try symbol("PQerrorMessage", type(of: errorMessage))
        finish = try symbol("PQfinish", type(of: finish))
        reset = try symbol("PQreset", type(of: reset))
        exec = try symbol("PQexec", type(of: exec))
        execParams = try symbol("PQexecParams", type(of: execParams))
        resultStatus = try symbol("PQresultStatus", type(of: resultStatus))
        resultErrorMessage = try symbol("PQresultErrorMessage", type(of: resultErrorMessage))
        resultErrorField = try symbol("PQresultErrorField", type(of: resultErrorField))
        clear = try symbol("PQclear", type(of: clear))
        ntuples = try symbol("PQntuples", type(of: ntuples))
        nfields = try symbol("PQnfields", type(of: nfields))
        getvalue = try symbol("PQgetvalue", type(of: getvalue))
        getisnull = try symbol("PQgetisnull", type(of: getisnull))
        getlength = try symbol("PQgetlength", type(of: getlength))
        cmdTuples = try symbol("PQcmdTuples", type(of: cmdTuples))
        setNoticeProcessor = try symbol("PQsetNoticeProcessor", type(of: setNoticeProcessor))
        libVersion = try symbol("PQlibVersion", type(of: libVersion))
        sendQuery = try symbol("PQsendQuery", type(of: sendQuery))
        sendQueryParams = try symbol("PQsendQueryParams", type(of: sendQueryParams))
        getResult = try symbol("PQgetResult", type(of: getResult))
        consumeInput = try symbol("PQconsumeInput", type(of: consumeInput))
        isBusy = try symbol("PQisBusy", type(of: isBusy))
        socket = try symbol("PQsocket", type(of: socket))
        // tcp_user_timeout (see PostgresConnection) arrived in libpq 12.
        guard libVersion() >= 120000 else {
            throw ChatbotError(.io, "\(file) is libpq \(libVersion() / 10000); PostgreSQL 12's or later is needed")
        }
    }

    /// Loads `file` (nil: `CHATBOT_LIBPQ`, else libpq.so.5), or says why it cannot.
    static func load(file: String? = nil) throws(ChatbotError) -> LibPQ {
        let name = file ?? getenv("CHATBOT_LIBPQ").map { String(cString: $0) } ?? defaultFile
        // RTLD_LOCAL: libpq's symbols stay out of the host's namespace. The handle is never
        // closed: libpq keeps thread-local state, and unloading it under live threads is unsafe.
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            let why = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw ChatbotError(.io, "a postgresql:// log needs libpq, which cannot be loaded (\(why)); "
                + "install it (Debian: apt-get install libpq5), or set CHATBOT_LIBPQ to its path")
        }
        return try LibPQ(handle: handle, file: name)
    }

    /// The process's libpq, loaded once; the failure is kept and reported to every opener.
    static let shared: Swift.Result<LibPQ, ChatbotError> = {
        do throws(ChatbotError) { return .success(try load()) } catch { return .failure(error) }
    }()
}
