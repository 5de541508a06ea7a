/// Where in a file a failure lies: the file, and the line and column when known.
public struct FileLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The file's path as the caller gave it ("" for bytes that came from memory).
    public var file: String
    /// 1-based line, or for a spreadsheet the row number it shows; 0 for the whole file.
    public var line: Int?
    /// The column as the file's format names it: a spreadsheet letter ("G"), or a 1-based
    /// byte column in a text format.
    public var column: String?

    public init(file: String, line: Int? = nil, column: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line`, as compilers print it.
    public var description: String { line.map { "\(file):\($0)" } ?? file }
}
