import ChatbotErrors
/// Collects rows while enforcing the row, column and cell limits as early as possible,
/// so parsing a huge sheet stops as soon as it is known to be too big.
struct SheetBuilder {
    let limits: SpreadsheetLimits
    private(set) var rows: [SheetRow] = []
    private var cellCount = 0
    private var sorted = true

    init(limits: SpreadsheetLimits) { self.limits = limits }

    /// Adds `repeatCount` copies of a row (ODS repeats rows; xlsx always passes 1).
    mutating func append(number: Int, cells: RowCells, repeatCount: Int = 1) throws(ChatbotError) {
        guard !cells.isEmpty, repeatCount > 0 else { return }
        if repeatCount > limits.maxRows - rows.count { throw .tooManyRows(limits.maxRows) }
        let finished = cells.finish()
        if repeatCount > (limits.maxCells - cellCount) / finished.count { throw .tooManyCells(limits.maxCells) }
        cellCount += finished.count * repeatCount
        if let last = rows.last, last.number >= number { sorted = false }
        for offset in 0..<repeatCount {
            rows.append(SheetRow(number: number + offset, cells: finished))
        }
    }

    /// The rows in ascending order; rows given twice with the same number are merged
    /// (later cells win), which only happens in unusual hand-written files.
    func finish(name: String) -> Sheet {
        guard !sorted else { return Sheet(name: name, rows: rows) }
        var merged: [SheetRow] = []
        for row in rows.sorted(by: { $0.number < $1.number }) {
            if let last = merged.last, last.number == row.number {
                var cells = RowCells()
                for cell in last.cells + row.cells { cells.set(cell.column, cell.value) }
                merged[merged.count - 1].cells = cells.finish()
            } else {
                merged.append(row)
            }
        }
        return Sheet(name: name, rows: merged)
    }
}

/// The non-empty cells of one row under construction.
struct RowCells {
    private var cells: [SheetCell] = []
    private var sorted = true
    /// Out-of-order cells are compacted when they reach this count, so a row repeating the
    /// same cell reference millions of times stays bounded by its number of distinct columns.
    private var compactionThreshold = 1024

    var isEmpty: Bool { cells.isEmpty }
    var count: Int { cells.count }

    mutating func set(_ column: Int, _ value: CellValue) {
        if let last = cells.last, last.column >= column { sorted = false }
        cells.append(SheetCell(column: column, value: value))
        if !sorted && cells.count >= compactionThreshold {
            cells = finish()
            sorted = true
            compactionThreshold = max(1024, cells.count * 2)
        }
    }

    /// Cells by ascending column; for a column given twice the last value wins.
    func finish() -> [SheetCell] {
        guard !sorted else { return cells }
        var result: [SheetCell] = []
        // Stable sort keeps document order among equal columns, so "last wins" holds.
        for cell in cells.enumerated().sorted(by: { ($0.element.column, $0.offset) < ($1.element.column, $1.offset) }).map(\.element) {
            if let last = result.last, last.column == cell.column {
                result[result.count - 1] = cell
            } else {
                result.append(cell)
            }
        }
        return result
    }
}
