/// Bounds that keep a hostile or oversized workbook from costing unbounded time or memory.
public struct SpreadsheetLimits: Sendable {
    /// Largest accepted input file.
    public var maxFileBytes = 50 << 20
    /// Largest decompressed size of one zip member, and of all members read together.
    public var maxUncompressedBytes = 200 << 20
    /// Largest decompressed/compressed ratio of a member; judged once its output exceeds 1 MiB
    /// because tiny members (e.g. a run of empty XML) legitimately compress very well.
    public var maxCompressionRatio = 200
    /// Largest number of non-empty rows in the sheet.
    public var maxRows = 100_000
    /// Non-empty cells must lie in the first `maxColumns` columns.
    public var maxColumns = 1_000
    /// Largest number of non-empty cells in the sheet: repeated ODS rows and cells are
    /// materialised, and rows × columns alone would allow 10⁸ cells.
    public var maxCells = 2_000_000

    public init() {}
}
