import ChatbotErrors
import ChatbotEngine
import Spreadsheet

/// An `.xlsx` or `.ods` workbook filled in with the Usine template: its first sheet is read
/// (`Spreadsheet`), then checked and assembled like a CSV export of it (`UsineTemplate`).
enum SpreadsheetTemplateSource {
    static func detect(_ bytes: [UInt8]) -> KnowledgeSourceFormat? {
        switch SpreadsheetFormat.detect(bytes) {
        case .xlsx?: .xlsx
        case .ods?: .ods
        case nil: nil
        }
    }

    static func parse(bytes: [UInt8], fileName: String, format: KnowledgeSourceFormat) throws(ChatbotError) -> KnowledgeBase {
        let sheet: Sheet
        do {
            sheet = try SpreadsheetReader.read(bytes: bytes, format: format == .ods ? .ods : .xlsx)
        } catch {
            throw ChatbotError.report([SourceDiagnostic(file: fileName, line: 0, message: error.message, code: error.code)])
        }
        let rows = sheet.rows.map { row in
            var cells: [Int: TemplateCell] = [:]
            for cell in row.cells {
                switch cell.value {
                case .date(let year, let month, let day): cells[cell.column] = .date(CalendarDate(year: year, month: month, day: day))
                default: cells[cell.column] = .text(cell.value.displayText)
                }
            }
            return TemplateRow(number: row.number, cells: cells)
        }
        guard let header = rows.first(where: { !$0.isBlank }) else {
            throw ChatbotError.report([SourceDiagnostic(
                file: fileName, line: 1, message: "La première feuille du classeur est vide.", code: "empty_file")])
        }
        let headerTexts = header.cells.sorted { $0.key < $1.key }.map(\.value.text)
        guard UsineTemplate.isTemplateHeader(headerTexts) else {
            throw ChatbotError.report([SourceDiagnostic(
                file: fileName, line: header.number,
                message: "La ligne \(header.number) n'a pas les en-têtes du modèle de l'Usine à chatbots (ID, Catégorie, Question, Type de réponse, Réponse(s), Questions synonymes) : trouvé \(headerTexts.map { "« \($0) »" }.joined(separator: ", ")).",
                code: "missing_column")])
        }
        var template = UsineTemplate(fileName: fileName)
        return try template.parse(rows)
    }
}
