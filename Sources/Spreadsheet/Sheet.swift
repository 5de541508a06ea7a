/// The value of one non-empty cell.
public enum CellValue: Sendable, Equatable {
    /// Shared string, inline string, formula string result, ODS string (empty or blank text included).
    case text(String)
    /// Numeric cell without a date format.
    case number(Double)
    /// A calendar day: xlsx serial number with a date format (1900 or 1904 system), ODS date value.
    /// The time of day, if any, is dropped.
    case date(year: Int, month: Int, day: Int)
    case boolean(Bool)

    /// What a person sees for the cell: text as is; integral numbers without ".0" ("12345");
    /// other numbers in shortest round-trip form; dates "DD/MM/YYYY"; booleans "VRAI"/"FAUX".
    public var displayText: String {
        switch self {
        case .text(let text):
            return text
        case .number(let value):
            // Below 2^53 every integral Double is exact, and Int64 cannot overflow.
            if value.rounded(.towardZero) == value && value.magnitude < 9_007_199_254_740_992 {
                return String(Int64(value))
            }
            return value.description
        case .date(let year, let month, let day):
            return padded(day, 2) + "/" + padded(month, 2) + "/" + padded(year, 4)
        case .boolean(let value):
            return value ? "VRAI" : "FAUX"
        }
    }
}

private func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let zeros = String(repeating: "0", count: max(0, width - digits.count))
    return (value < 0 ? "-" : "") + zeros + digits
}

/// One non-empty cell of a row.
public struct SheetCell: Sendable, Equatable {
    /// 0-based column index: A = 0, B = 1, AB = 27.
    public var column: Int
    public var value: CellValue

    public init(column: Int, value: CellValue) {
        self.column = column
        self.value = value
    }
}

/// One row that has at least one non-empty cell.
public struct SheetRow: Sendable, Equatable {
    /// 1-based row number, as the spreadsheet application shows it.
    public var number: Int
    /// Non-empty cells only, in ascending column order.
    public var cells: [SheetCell]

    public init(number: Int, cells: [SheetCell]) {
        self.number = number
        self.cells = cells
    }

    /// The value in the 0-based `column`, or nil when that cell is empty.
    public func value(at column: Int) -> CellValue? {
        // Binary search: cells are sorted by column.
        var low = 0, high = cells.count
        while low < high {
            let mid = (low + high) / 2
            if cells[mid].column < column { low = mid + 1 } else { high = mid }
        }
        return low < cells.count && cells[low].column == column ? cells[low].value : nil
    }
}

/// The first sheet of a workbook.
public struct Sheet: Sendable, Equatable {
    /// The sheet's tab name.
    public var name: String
    /// Rows with at least one non-empty cell, in ascending row number.
    public var rows: [SheetRow]

    public init(name: String, rows: [SheetRow]) {
        self.name = name
        self.rows = rows
    }
}
