/// Every failure of libchatbot, whatever module raised it: what kind of failure it is, a
/// message for people, and where it happened when a file or a row is to blame.
///
/// There is one error type so that typed throws (`throws(ChatbotError)`) run from the
/// lowest module to the C layer, and so that the C layer turns any failure into a
/// `cb_status` by its `kind` alone. Modules add named constructors (`.zeroVector(row:)`,
/// `.file(path:reason:)`…) in extensions: the kind and the wording live where the failure
/// is understood, the type stays one.
public struct ChatbotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, one per `cb_status` error code of `chatbot.h`.
    public enum Kind: Sendable, Equatable, Hashable, CaseIterable {
        /// An argument is out of range, inconsistent, or names something unusable.
        case invalidArgument
        /// A file could not be opened, read or written, or is not the kind of file expected.
        case io
        /// An index file is unreadable, truncated, corrupted or from an incompatible version.
        case invalidIndex
        /// A source (knowledge base, workbook, synonyms, labelled set, vectors) is malformed.
        case invalidSource
        /// Text that must be UTF-8 is not.
        case invalidUTF8
        /// The system refused memory for an allocation whose size comes from the input.
        case outOfMemory
        /// A bug: a state the library should never reach.
        case `internal`
        /// The thing asked for (a logged question) does not exist.
        case notFound
    }

    public var kind: Kind
    /// What went wrong, in words; French for the checks HR staff read (the Usine template,
    /// workbooks), English otherwise.
    public var message: String
    /// The file, and the row and column when known, that the failure is about.
    public var location: FileLocation?
    /// A stable identifier of the failure for programs (e.g. "zip_bomb", "encrypted"),
    /// never translated; "" when the failure has none.
    public var code: String
    /// Every problem found in a refused source, errors and warnings, in row order, so that
    /// a user fixes them all in one pass; empty for other failures.
    public var diagnostics: [SourceDiagnostic]

    public init(_ kind: Kind, _ message: String, location: FileLocation? = nil, code: String = "",
                diagnostics: [SourceDiagnostic] = []) {
        self.kind = kind
        self.message = message
        self.location = location
        self.code = code
        self.diagnostics = diagnostics
    }

    /// The message, then the stable code in brackets when there is one.
    public var description: String { code.isEmpty ? message : "\(message) [\(code)]" }

    /// The diagnostics that refuse the source.
    public var errors: [SourceDiagnostic] { diagnostics.filter { $0.severity == .error } }
    /// The diagnostics that do not refuse the source.
    public var warnings: [SourceDiagnostic] { diagnostics.filter { $0.severity == .warning } }
}

extension ChatbotError {
    public static func invalidArgument(_ message: String) -> ChatbotError { ChatbotError(.invalidArgument, message) }

    public static func io(_ message: String) -> ChatbotError { ChatbotError(.io, message) }

    public static func invalidIndex(_ message: String) -> ChatbotError { ChatbotError(.invalidIndex, "invalid index: \(message)") }

    /// Text that is not valid UTF-8, described by the caller.
    public static func invalidText(_ message: String) -> ChatbotError { ChatbotError(.invalidUTF8, message) }

    /// Invalid UTF-8 at `byteOffset`, the first offending byte.
    public static func invalidUTF8(byteOffset: Int) -> ChatbotError {
        ChatbotError(.invalidUTF8, "invalid UTF-8 at byte offset \(byteOffset)")
    }

    /// Allocations inside the Swift runtime cannot report failure: they stop the process
    /// (see the README's "Limits"). This is for allocations sized by the input.
    public static func outOfMemory(_ message: String) -> ChatbotError { ChatbotError(.outOfMemory, "out of memory: \(message)") }

    public static func notFound(_ message: String) -> ChatbotError { ChatbotError(.notFound, message) }

    public static func internalError(_ message: String) -> ChatbotError { ChatbotError(.internal, message) }

    /// A source refused because of one problem.
    public static func source(_ diagnostic: SourceDiagnostic) -> ChatbotError {
        ChatbotError(.invalidSource, diagnostic.description, location: diagnostic.location, diagnostics: [diagnostic])
    }

    /// A source refused because of one problem at `file:line`.
    public static func diagnostic(file: String, line: Int, message: String, severity: SourceDiagnostic.Severity = .error,
                                  column: String? = nil, code: String = "") -> ChatbotError {
        .source(SourceDiagnostic(file: file, line: line, message: message, severity: severity, column: column, code: code))
    }

    /// A source refused as a whole: every error and warning of the file. The message is
    /// the first error, then how many more there are.
    public static func report(_ diagnostics: [SourceDiagnostic]) -> ChatbotError {
        let errors = diagnostics.filter { $0.severity == .error }
        let message: String
        if let first = errors.first {
            let more = errors.count - 1
            message = first.description + (more > 0 ? " (and \(more) more error\(more > 1 ? "s" : ""))" : "")
        } else {
            message = "source refused"
        }
        return ChatbotError(.invalidSource, message, location: errors.first?.location, diagnostics: diagnostics)
    }
}
