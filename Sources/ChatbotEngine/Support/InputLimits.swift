/// The largest input of each kind the library reads, so that no file, however large or
/// hostile, costs unbounded memory or time. Each is far above real use: the Usine's largest
/// bases are well under 1 MB, and MASSIVE fr-FR's 11,514 questions take 1 MB of TSV.
/// The C header repeats them (`CB_MAX_SOURCE_BYTES`, …); the README lists them all.
public enum InputLimits {
    /// A knowledge-base source (TSV, CSV, JSON, `.xlsx`, `.ods`) or a labelled set: 128 MiB,
    /// room for a million questions of TSV (70 MB). Workbooks stop at the spreadsheet
    /// reader's own file limit, 50 MiB (`SpreadsheetLimits.maxFileBytes`).
    public static let maxSourceBytes = 128 << 20
    /// A synonyms file: 16 MiB.
    public static let maxSynonymsBytes = 16 << 20
    /// A static word-vector file (`.cbwv`): 1 GiB, forty times the distilled French file.
    public static let maxWordVectorBytes = 1 << 30
}
