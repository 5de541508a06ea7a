import ChatbotErrors
/// The spreadsheet format: CSV with a header line naming the columns.
///
/// ```
/// id;question;answer;category;hidden;expires_at
/// conges;Comment poser un congé ?;Sur le portail RH.;RH;non;31/01/2027
/// conges;Je veux poser des vacances;;;;
/// "badge";"Badge perdu; que faire ?";"Appelez l'accueil, poste ""12"".";Sécurité;;
/// ```
/// - Required columns `id`, `question`; optional `answer`, `category`, `hidden`,
///   `expires_at`, in any order. Header names are trimmed and case-insensitive.
///   A column named `attr:NAME` fills `attributes[NAME]` (room for structured answers).
///   Any other column is an error naming it, so that a typo does not lose a column.
/// - Delimiter: `,` or `;`, whichever the header line uses more (French Excel writes `;`).
///   RFC 4180 quoting (see `CSVRecordReader`), LF or CRLF, optional UTF-8 BOM.
/// - Rows sharing an id form one item: the first row's question is the main one, the
///   others are alternatives. An id that comes back after other items is a warning
///   (`id_not_consecutive`): the row still joins the earlier item. For answer, category, hidden, expires_at and attributes the
///   item takes the first non-empty value; a later row may leave it empty or repeat it,
///   but a different non-empty value is an error naming the line.
/// - `hidden`: true/false, 1/0, oui/non, yes/no, vrai/faux (any case); empty = false.
///   `expires_at`: `YYYY-MM-DD` or `DD/MM/YYYY`; empty = never expires.
/// - An id holding a control character (NUL, tab, line break…) is an error
///   (`id_control_character`, with the id column's letter).
/// - Rows whose fields are all empty (Excel's trailing `;;;;` rows) are skipped; every
///   other row must have exactly as many fields as the header.
enum CSVSource {
    private enum Column: Equatable {
        case id, question, answer, category, hidden, expiresAt
        case attribute(String)
    }

    static func parse(bytes: [UInt8], fileName: String) throws(ChatbotError) -> KnowledgeBase {
        let start = byteOrderMarkLength(bytes)
        let reader = CSVRecordReader(fileName: fileName, delimiter: CSVRecordReader.detectDelimiter(bytes, from: start))
        let records = try reader.records(bytes, from: start)
        guard let header = records.first else {
            throw ChatbotError.diagnostic(file: fileName, line: 1, message: "empty file: expected a header line with columns id and question")
        }
        let columns = try parseHeader(header, fileName: fileName)
        let col = { (c: Column) in columns.firstIndex(of: c) }
        let idColumn = col(.id)!, questionColumn = col(.question)!
        let answerColumn = col(.answer), categoryColumn = col(.category)
        let hiddenColumn = col(.hidden), expiresColumn = col(.expiresAt)

        var builder = KnowledgeBaseBuilder(fileName: fileName)
        // Per item: whether `hidden` / `expires_at` was given yet (empty means "not given").
        var hiddenGiven: [Bool] = []
        var expiresGiven: [Bool] = []
        var reuseWarnings: [SourceDiagnostic] = []
        var lastID = ""
        for record in records.dropFirst() {
            let fields = record.fields
            func fail(_ message: String) -> ChatbotError {
                .diagnostic(file: fileName, line: record.line, message: message)
            }
            if fields.allSatisfy(\.isBlank) { continue }
            guard fields.count <= columns.count else {
                throw fail("too many columns (\(fields.count)), the header has \(columns.count)")
            }
            guard fields.count == columns.count else {
                throw fail("missing columns (\(fields.count)), the header has \(columns.count)")
            }
            let value = { (k: Int?) -> String in k.map { fields[$0].trimmingWhitespace } ?? "" }
            let id = value(idColumn)
            let question = value(questionColumn)
            guard !id.isEmpty else { throw fail("empty id") }
            if let problem = ItemID.controlCharacterProblem(id) {
                throw ChatbotError.diagnostic(file: fileName, line: record.line, message: problem,
                                       column: columnLetter(idColumn), code: ItemID.controlCharacterCode)
            }
            guard !question.isEmpty else { throw fail("empty question for id \"\(id)\"") }
            let answer = value(answerColumn)
            let category = value(categoryColumn)
            let hiddenText = value(hiddenColumn)
            let hidden: Bool? = try hiddenText.isEmpty ? nil : parseHidden(hiddenText, fail: fail)
            let expiresText = value(expiresColumn)
            var expires: CalendarDate? = nil
            if !expiresText.isEmpty {
                guard let date = CalendarDate(expiresText) else {
                    throw fail("invalid expires_at \"\(expiresText)\": expected an existing day as YYYY-MM-DD or DD/MM/YYYY")
                }
                expires = date
            }
            var attributes: [(String, String)] = []
            for (k, c) in columns.enumerated() {
                if case .attribute(let name) = c, case let v = value(k), !v.isEmpty { attributes.append((name, v)) }
            }

            let k: Int
            if let existing = builder.index(of: id) {
                k = existing
                if existing != builder.items.count - 1, lastID != id {
                    // Not silent: a reused id far below is more often a copy-paste slip than
                    // a deliberate addition to the earlier item.
                    reuseWarnings.append(SourceDiagnostic(
                        file: fileName, line: record.line,
                        message: "id \"\(id)\" was first used at line \(builder.itemLines[existing]); this row is added to that item (keep an item's rows together, or give this question its own id)",
                        severity: .warning, code: "id_not_consecutive"))
                }
            } else {
                k = builder.addItem(KnowledgeItem(id: id, questions: []), line: record.line)
                hiddenGiven.append(false)
                expiresGiven.append(false)
            }
            var conflict: String? = nil
            builder.update(k) { item in
                func merge(_ field: inout String, _ new: String, _ name: String) {
                    if new.isEmpty { return }
                    if field.isEmpty { field = new } else if field != new, conflict == nil {
                        conflict = "\(name) \"\(new)\" conflicts with \"\(field)\" given earlier for id \"\(id)\""
                    }
                }
                merge(&item.answer, answer, "answer")
                merge(&item.category, category, "category")
                for (name, v) in attributes {
                    var current = item.attributes[name] ?? ""
                    merge(&current, v, "attr:\(name)")
                    item.attributes[name] = current
                }
                if let hidden {
                    if !hiddenGiven[k] { item.hidden = hidden; hiddenGiven[k] = true }
                    else if item.hidden != hidden, conflict == nil {
                        conflict = "hidden \"\(hiddenText)\" conflicts with \(item.hidden) given earlier for id \"\(id)\""
                    }
                }
                if let expires {
                    if !expiresGiven[k] { item.expiresAt = expires; expiresGiven[k] = true }
                    else if item.expiresAt != expires, conflict == nil {
                        conflict = "expires_at \"\(expiresText)\" conflicts with \(item.expiresAt!) given earlier for id \"\(id)\""
                    }
                }
            }
            if let conflict { throw fail(conflict) }
            builder.addQuestion(question, vector: nil, toItem: k, line: record.line)
            lastID = id
        }
        var kb = try builder.finish(endLine: records.last!.line)
        kb.warnings = (kb.warnings + reuseWarnings).sorted { $0.line < $1.line }
        return kb
    }

    private static func parseHeader(_ header: CSVRecordReader.Record, fileName: String) throws(ChatbotError) -> [Column] {
        func fail(_ message: String) -> ChatbotError {
            .diagnostic(file: fileName, line: header.line, message: message)
        }
        var columns: [Column] = []
        var unknown: [String] = []
        for raw in header.fields {
            let name = raw.trimmingWhitespace
            let column: Column
            switch name.lowercased() {
            case "id": column = .id
            case "question": column = .question
            case "answer": column = .answer
            case "category": column = .category
            case "hidden": column = .hidden
            case "expires_at": column = .expiresAt
            default:
                let attribute = name.lowercased().hasPrefix("attr:") ? String(name.dropFirst(5)).trimmingWhitespace : ""
                if !attribute.isEmpty {
                    column = .attribute(attribute)
                } else {
                    unknown.append("\"\(name)\"")
                    continue
                }
            }
            if columns.contains(column) { throw fail("column \"\(name)\" appears twice in the header") }
            columns.append(column)
        }
        guard unknown.isEmpty else {
            throw fail("unknown column\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")); "
                + "known: id, question, answer, category, hidden, expires_at, attr:NAME")
        }
        let missing = [("id", Column.id), ("question", .question)].filter { !columns.contains($0.1) }.map(\.0)
        guard missing.isEmpty else {
            throw fail("missing required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) in the header")
        }
        return columns
    }

    private static func parseHidden(_ text: String, fail: (String) -> ChatbotError) throws(ChatbotError) -> Bool {
        switch text.lowercased() {
        case "true", "1", "oui", "yes", "vrai": return true
        case "false", "0", "non", "no", "faux": return false
        default: throw fail("invalid hidden value \"\(text)\": expected true/false, 1/0, oui/non, yes/no")
        }
    }
}
