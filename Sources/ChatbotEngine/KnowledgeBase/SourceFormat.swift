/// The knowledge-base source formats, chosen by file extension.
///
/// - `.tsv`: `id<TAB>question`, no header; see `TSVSource`.
/// - `.csv`: header `id,question[,answer,category,hidden,expires_at,attr:NAME…]`; see `CSVSource`.
/// - `.json`: `{"items": [...]}` or a bare array of items; see `JSONSource`.
public enum SourceFormat: String, Sendable, CaseIterable {
    case tsv
    case csv
    case json

    /// The format for a path's extension (case-insensitive), or `nil` if unsupported.
    public init?(path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        self.init(rawValue: name[name.index(after: dot)...].lowercased())
    }

    /// "`.tsv`, `.csv`, `.json`", for error messages.
    public static var supportedExtensions: String {
        allCases.map { "." + $0.rawValue }.joined(separator: ", ")
    }
}
