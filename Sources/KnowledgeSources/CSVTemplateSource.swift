import ChatbotErrors
import ChatbotEngine

/// A CSV file: a CSV export of the Usine template (recognised by its header), or the
/// engine's own CSV format (`id,question,answer,…`, see `ChatbotEngine`'s CSV source).
///
/// A file that is not valid UTF-8 is read as Windows-1252, what French Excel writes, with a
/// warning saying so.
enum CSVTemplateSource {
    /// Whether the CSV's first non-blank record is the template's header (else it is the engine's CSV).
    static func isTemplate(_ bytes: [UInt8]) -> Bool {
        let bytes = isValidUTF8(bytes) ? bytes : Windows1252.decode(bytes)
        let start = byteOrderMarkLength(bytes)
        let reader = CSVRecordReader(fileName: "", delimiter: CSVRecordReader.detectDelimiter(bytes, from: start))
        guard let records = try? reader.records(bytes, from: start),
              let header = records.first(where: { !$0.fields.allSatisfy(\.isBlank) }) else { return false }
        return UsineTemplate.isTemplateHeader(header.fields)
    }

    static func parse(bytes: [UInt8], fileName: String) throws(ChatbotError) -> KnowledgeBase {
        var bytes = bytes
        var notes: [SourceDiagnostic] = []
        if !isValidUTF8(bytes) {
            bytes = Windows1252.decode(bytes)
            notes.append(SourceDiagnostic(
                file: fileName, line: 1,
                message: "Le fichier n'est pas en UTF-8 : il a été lu comme un CSV Windows-1252 (l'encodage d'Excel en français). Vérifiez que les accents sont corrects, ou enregistrez-le en « CSV UTF-8 ».",
                severity: .warning, code: "windows_1252"))
        }
        let start = byteOrderMarkLength(bytes)
        let reader = CSVRecordReader(fileName: fileName, delimiter: CSVRecordReader.detectDelimiter(bytes, from: start))
        let records: [CSVRecordReader.Record]
        do {
            records = try reader.records(bytes, from: start)
        } catch {
            throw ChatbotError.report(notes + error.diagnostics)
        }
        guard let header = records.first(where: { !$0.fields.allSatisfy(\.isBlank) }),
              UsineTemplate.isTemplateHeader(header.fields)
        else {
            // The engine's own CSV format.
            do {
                var kb = try KnowledgeBaseLoader.parse(bytes: Array(bytes), fileName: fileName, format: .csv)
                kb.warnings = notes + kb.warnings
                return kb
            } catch {
                guard error.kind == .invalidSource else { throw error }
                throw .report(notes + error.diagnostics)
            }
        }
        let rows = records.map { record in
            var cells: [Int: TemplateCell] = [:]
            for (k, field) in record.fields.enumerated() where !field.isEmpty { cells[k] = .text(field) }
            return TemplateRow(number: record.line, cells: cells)
        }
        var template = UsineTemplate(fileName: fileName)
        do {
            var kb = try template.parse(rows)
            kb.warnings = notes + kb.warnings
            return kb
        } catch {
            throw ChatbotError.report(notes + error.diagnostics)
        }
    }
}
