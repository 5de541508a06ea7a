import ChatbotErrors
/// Streams `<sheetData>` of an xlsx worksheet into a `SheetBuilder`.
final class XLSXWorksheetHandler: XMLEventHandler {
    private(set) var builder: SheetBuilder
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let date1904: Bool

    private var inSheetData = false
    private var rowNumber = 0
    private var row = RowCells()
    private var inRow = false

    // The cell being read.
    private var inCell = false
    private var column = -1
    private var type = ""
    private var style = 0
    private var reference = ""
    private var value: [UInt8]?
    private var inValue = false
    private var inlineText: RichTextCollector?
    private var inInline = false

    let isDone = false

    init(builder: SheetBuilder, sharedStrings: [String], dateStyles: Set<Int>, date1904: Bool) {
        self.builder = builder
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
    }

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) throws(ChatbotError) {
        if inInline {
            inlineText?.start(name.local)
            return
        }
        switch name.local {
        case "sheetData":
            inSheetData = true
        case "row" where inSheetData:
            // Without `r`, rows follow each other.
            if let text = attributes.value("r") {
                guard let number = parsePositiveInt(text) else { throw badReference(text) }
                rowNumber = number
            } else {
                rowNumber += 1
            }
            inRow = true
            column = -1
        case "c" where inRow:
            if let text = attributes.value("r") {
                guard let decoded = CellReference.column(of: text) else { throw badReference(text) }
                column = decoded
                reference = text
            } else {
                column += 1
                reference = CellReference.letters(of: column) + String(rowNumber)
            }
            type = attributes.value("t") ?? "n"
            style = attributes.value("s").flatMap { Int($0) } ?? 0
            value = nil
            inlineText = nil
            inCell = true
        case "v" where inCell:
            inValue = true
            value = []
        case "is" where inCell:
            inInline = true
            inlineText = RichTextCollector()
        default:
            break
        }
    }

    func endElement(_ name: XMLName) throws(ChatbotError) {
        if inInline {
            if name.local == "is" { inInline = false } else { inlineText?.end(name.local) }
            return
        }
        switch name.local {
        case "v":
            inValue = false
        case "c" where inCell:
            inCell = false
            if let cellValue = try cellValue() {
                guard column < builder.limits.maxColumns else { throw .tooManyColumns(builder.limits.maxColumns) }
                row.set(column, cellValue)
            }
        case "row" where inRow:
            inRow = false
            try builder.append(number: rowNumber, cells: row)
            row = RowCells()
        case "sheetData":
            inSheetData = false
        default:
            break
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inValue {
            value?.append(contentsOf: text)
        } else if inInline {
            inlineText?.characters(text)
        }
    }

    /// Error cells (`t="e"`, e.g. #N/A) are skipped: a formula error is never useful content.
    private func cellValue() throws(ChatbotError) -> CellValue? {
        switch type {
        case "inlineStr":
            return inlineText.map { .text($0.string) }
        case "e":
            return nil
        default:
            break
        }
        guard let value else { return nil }
        let text = String(decoding: value, as: UTF8.self)
        switch type {
        case "s":
            guard let index = Int(text.trimmed), index >= 0, index < sharedStrings.count else {
                throw .damaged("bad_shared_string",
                               "la cellule \(reference) renvoie au texte partagé n° \(text), qui n'existe pas")
            }
            return .text(sharedStrings[index])
        case "str":
            return .text(text)
        case "b":
            switch text.trimmed {
            case "1", "true": return .boolean(true)
            case "0", "false": return .boolean(false)
            default: throw badValue(text)
            }
        case "d":
            if let day = CalendarDay.fromISO(text.trimmed) { return .date(year: day.year, month: day.month, day: day.day) }
            return .text(text)
        default:
            let trimmed = text.trimmed
            if trimmed.isEmpty { return nil }
            guard let number = Double(trimmed), number.isFinite else { throw badValue(text) }
            if dateStyles.contains(style), let day = CalendarDay.fromExcelSerial(number, date1904: date1904) {
                return .date(year: day.year, month: day.month, day: day.day)
            }
            return .number(number)
        }
    }

    private func badValue(_ text: String) -> ChatbotError {
        .damaged("bad_value", "la cellule \(reference) contient une valeur illisible (« \(text.prefix(40)) »)")
    }

    private func badReference(_ text: String) -> ChatbotError {
        .damaged("bad_cell_reference", "référence de cellule invalide (« \(text.prefix(40)) »)")
    }
}

extension String {
    /// Without ASCII spaces, tabs and line breaks around (Foundation-free).
    var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
