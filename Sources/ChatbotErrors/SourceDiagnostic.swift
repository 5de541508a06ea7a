/// A problem found in a source file, located by file and 1-based line (for a spreadsheet,
/// the row number the spreadsheet shows).
///
/// Errors refuse the build; warnings do not. `code` is stable across versions, so hosts
/// can act on it; `message` is for people (French for the Usine template's checks). A
/// refused source throws a `ChatbotError` of kind `invalidSource` carrying its diagnostics.
public struct SourceDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case error, warning
    }

    public var file: String
    public var line: Int
    public var message: String
    public var severity: Severity
    /// The column at fault, as the spreadsheet names it ("A", "G"); nil when not about one cell.
    public var column: String?
    /// A stable identifier of the check, e.g. "missing_id"; "" for checks without one.
    public var code: String

    public init(file: String, line: Int, message: String, severity: Severity = .error,
                column: String? = nil, code: String = "") {
        self.file = file
        self.line = line
        self.message = Self.bounded(message)
        self.severity = severity
        self.column = column
        self.code = code
    }

    public var description: String { "\(file):\(line): \(message)" }

    public var location: FileLocation { FileLocation(file: file, line: line, column: column) }

    /// Longest message kept whole. Messages quote cells and headers, and a cell can hold a
    /// megabyte: one diagnostic must stay one readable line (issue 13).
    public static let maxMessageCharacters = 500

    static func bounded(_ message: String) -> String {
        var count = 0
        for _ in message.unicodeScalars {
            count += 1
            if count > maxMessageCharacters { break }
        }
        guard count > maxMessageCharacters else { return message }
        let total = message.unicodeScalars.count
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: message.unicodeScalars.prefix(maxMessageCharacters - 100))
        return String(kept) + "… [\(total - (maxMessageCharacters - 100)) more characters cut]"
    }

    /// One line for a terminal, as compilers print them: `FILE:ROW: error: MESSAGE`.
    public var report: String { "\(file):\(line): \(severity.rawValue): \(message)" }
}
