import ChatbotEngine

/// One row of a spreadsheet as the template reader sees it, whatever the file: an `.xlsx`
/// or `.ods` sheet, or a CSV export of it.
struct TemplateRow {
    /// The row number the spreadsheet shows (the line number in a CSV file).
    var number: Int
    /// Non-empty cells by 0-based column (A = 0).
    var cells: [Int: TemplateCell]

    func text(_ column: Int?) -> String {
        guard let column, let cell = cells[column] else { return "" }
        return cell.text.trimmingWhitespace
    }

    var isBlank: Bool { cells.values.allSatisfy { $0.text.isBlank } }
}

/// A cell's content: text as a person sees it, or a real date cell.
enum TemplateCell {
    case text(String)
    case date(CalendarDate)

    var text: String {
        switch self {
        case .text(let t): t
        case .date(let d): Self.frenchDate(d)
        }
    }

    static func frenchDate(_ d: CalendarDate) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(d.day))/\(two(d.month))/\(d.year)"
    }
}
