import ChatbotErrors
/// Reads knowledge-base source files into a `KnowledgeBase`.
///
/// Errors are thrown, never trapped on: kind `io` when the file cannot be read, and kind
/// `invalidSource` with one `SourceDiagnostic` (file, 1-based line, message) for anything
/// malformed inside it.
/// Doubtful but acceptable content — the same question twice — lands in `warnings`.
/// No row is ever dropped silently: each one ends up in an item or raises.
/// A source without any item is an error.
public enum KnowledgeBaseLoader {
    /// Reads the file at `path`; the format comes from its extension (`.tsv`, `.csv`, `.json`).
    /// An unsupported extension is a diagnostic with line 0 (it concerns the whole file).
    public static func load(path: String) throws(ChatbotError) -> KnowledgeBase {
        guard let format = SourceFormat(path: path) else {
            throw ChatbotError.diagnostic(file: path, line: 0,
                                   message: "unsupported file extension; supported: \(SourceFormat.supportedExtensions)")
        }
        let bytes = try readFile(path, maxBytes: InputLimits.maxSourceBytes)
        return try parse(bytes: bytes, fileName: path, format: format)
    }

    /// Parses source bytes already in memory; `fileName` only labels the diagnostics.
    public static func parse(bytes: [UInt8], fileName: String, format: SourceFormat) throws(ChatbotError) -> KnowledgeBase {
        switch format {
        case .tsv: return try TSVSource.parse(bytes: bytes, fileName: fileName)
        case .csv: return try CSVSource.parse(bytes: bytes, fileName: fileName)
        case .json: return try JSONSource.parse(bytes: bytes, fileName: fileName)
        }
    }
}
