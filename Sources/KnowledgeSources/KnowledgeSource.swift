import ChatbotErrors
import ChatbotEngine

/// Every knowledge-base source the engine builds from, by extension or, for a file without
/// one, by content:
///
/// - `.xlsx`, `.ods`: the Usine à chatbots template (first sheet);
/// - `.csv`: a CSV export of that template, or the engine's own CSV format;
/// - `.tsv`: `id<TAB>question`; `.json`: `{"items": [...]}` (see `ChatbotEngine`).
public enum KnowledgeSourceFormat: String, Sendable, CaseIterable {
    case tsv, csv, json, xlsx, ods

    /// From the path's extension (case-insensitive); nil for another or no extension.
    public init?(path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        self.init(rawValue: name[name.index(after: dot)...].lowercased())
    }

    /// Whether the path has an extension at all (`notes`, not `notes.txt`).
    static func hasExtension(_ path: String) -> Bool {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: ".") else { return false }
        return dot != name.startIndex
    }

    /// "`.xlsx`, `.ods`, `.csv`, `.tsv`, `.json`", for messages.
    public static var supportedExtensions: String {
        [Self.xlsx, .ods, .csv, .tsv, .json].map { "." + $0.rawValue }.joined(separator: ", ")
    }
}

/// Reads knowledge-base sources of every format into a `KnowledgeBase`.
///
/// Errors: kind `io` when the file cannot be read; kind `invalidSource` with every error and
/// warning of the file in `diagnostics` for the Usine template (spreadsheet or CSV), with the
/// first error for the engine's own formats. Warnings of a base that builds are in
/// `KnowledgeBase.warnings`.
public enum KnowledgeSource {
    public static func load(path: String) throws(ChatbotError) -> KnowledgeBase {
        let bytes = try readFile(path, maxBytes: InputLimits.maxSourceBytes)
        let format: KnowledgeSourceFormat
        if let f = KnowledgeSourceFormat(path: path) {
            format = f
        } else if !KnowledgeSourceFormat.hasExtension(path), let f = detect(bytes) {
            format = f
        } else if path.lowercased().hasSuffix(".xls") {
            throw ChatbotError.diagnostic(file: path, line: 0,
                                   message: "Le format .xls (Excel 97-2003) n'est pas pris en charge : ouvrez le fichier dans Excel et enregistrez-le au format .xlsx.",
                                   code: "legacy_xls")
        } else {
            throw ChatbotError.diagnostic(file: path, line: 0,
                                   message: "unsupported file extension; supported: \(KnowledgeSourceFormat.supportedExtensions)",
                                   code: "unsupported_format")
        }
        return try parse(bytes: bytes, fileName: path, format: format)
    }

    /// Parses bytes already in memory; `fileName` only labels the diagnostics.
    public static func parse(bytes: [UInt8], fileName: String, format: KnowledgeSourceFormat) throws(ChatbotError) -> KnowledgeBase {
        switch format {
        case .tsv: return try KnowledgeBaseLoader.parse(bytes: bytes, fileName: fileName, format: .tsv)
        case .json: return try KnowledgeBaseLoader.parse(bytes: bytes, fileName: fileName, format: .json)
        case .csv: return try CSVTemplateSource.parse(bytes: bytes, fileName: fileName)
        case .xlsx, .ods: return try SpreadsheetTemplateSource.parse(bytes: bytes, fileName: fileName, format: format)
        }
    }

    /// The format of a file without extension, from its first bytes: a zip archive is a
    /// workbook, `{` or `[` JSON, a tab in the first line TSV, anything else CSV.
    static func detect(_ bytes: [UInt8]) -> KnowledgeSourceFormat? {
        if let f = SpreadsheetTemplateSource.detect(bytes) { return f }
        let start = byteOrderMarkLength(bytes)
        guard let first = bytes[start...].first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return nil }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .json }
        let firstLine = bytes[start...].prefix { $0 != 0x0A }
        return firstLine.contains(0x09) ? .tsv : .csv
    }
}
