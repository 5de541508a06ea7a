import ChatbotErrors
import ChatbotEngine
import Spreadsheet

/// A knowledge base written as the Usine à chatbots template: the header row, then for each
/// item a first row with its ID, category, main question, alternatives (joined with "; "),
/// expiry (a date cell) and first message, and one row per further message with an empty ID.
///
/// Reading the result with `KnowledgeSource` gives back the same items (ids, category,
/// questions, messages, expiry). What the template has no column for is not written:
/// `hidden`, `attributes`, question vectors. A `;` inside an alternative question becomes a
/// `,` (the template separates alternatives with `;`). Reserved items (`phrase_…`) are
/// written the template's way, without a main question: their questions (out-of-scope
/// examples for `phrase_hors_sujet`) are all alternatives. An item without any message
/// gets a first row without type or answer, which the template reports as incomplete.
public enum TemplateExport {
    /// The template's header row, column A to H (F is empty).
    public static let header = ["ID", "Catégorie", "Question", "Type de réponse", "Réponse(s)", "",
                                "Questions synonymes (à séparer par un point-virgule ;)", "Expire le (DD/MM/YYYY)"]

    /// Column widths of the written workbook, in characters.
    static let columnWidths: [Double] = [24, 16, 42, 16, 60, 4, 60, 16]

    /// One row of the template.
    public struct Row: Sendable, Equatable {
        public var id = ""
        public var category = ""
        public var question = ""
        public var type = ""
        public var answer = ""
        public var synonyms = ""
        public var expiry: CalendarDate? = nil
    }

    /// The data rows (without the header).
    public static func rows(_ kb: KnowledgeBase) -> [Row] {
        var rows: [Row] = []
        for item in kb.items {
            var first = Row(id: item.id, category: item.category, expiry: item.expiresAt)
            let reserved = ItemRole(id: item.id).isReserved
            let main = reserved ? nil : item.questions.first
            first.question = main ?? ""
            let alternatives = reserved ? item.questions : Array(item.questions.dropFirst())
            first.synonyms = alternatives.map(alternativeText).filter { !$0.isEmpty }.joined(separator: "; ")
            let messages = item.effectiveMessages
            if let m = messages.first { (first.type, first.answer) = cell(m) }
            rows.append(first)
            for m in messages.dropFirst() {
                var row = Row()
                (row.type, row.answer) = cell(m)
                rows.append(row)
            }
        }
        return rows
    }

    /// An alternative question as the template can hold it: no `;`, on one line.
    static func alternativeText(_ text: String) -> String {
        String(text.map { $0 == ";" ? "," : ($0 == "\n" || $0 == "\r" || $0 == "\r\n") ? " " : $0 }).trimmingWhitespace
    }

    /// The `Type de réponse` and `Réponse(s)` cells of a message.
    static func cell(_ message: Message) -> (String, String) {
        switch message {
        case .text(let t): ("Texte", t)
        case .image(let url): ("Image", url)
        case .buttons(let b): ("Lien", buttonsText(b))
        case .quickReplies(let b): ("Réponse à choix", buttonsText(b))
        }
    }

    /// `Titre <cible>; Titre 2 <cible 2>`.
    static func buttonsText(_ buttons: [Button]) -> String {
        buttons.map { b in
            let target: String = switch b.target {
            case .url(let u): u
            case .item(let id): id
            }
            return "\(b.title) <\(target)>"
        }.joined(separator: "; ")
    }

    /// The template as an `.xlsx` workbook (sheet "Feuil1").
    public static func xlsx(_ kb: KnowledgeBase) throws(ChatbotError) -> [UInt8] {
        var cells: [[CellValue?]] = [header.map { $0.isEmpty ? nil : .text($0) }]
        for r in rows(kb) {
            func text(_ s: String) -> CellValue? { s.isEmpty ? nil : .text(s) }
            cells.append([text(r.id), text(r.category), text(r.question), text(r.type), text(r.answer), nil, text(r.synonyms),
                          r.expiry.map { .date(year: $0.year, month: $0.month, day: $0.day) }])
        }
        return try XLSXWriter.write(rows: cells, sheetName: "Feuil1", columnWidths: columnWidths)
    }

    /// The template as French Excel saves it in "CSV UTF-8": a BOM, `;` between fields, CRLF
    /// line ends, a field quoted when it holds `;`, `"` or a line break (quotes doubled), and
    /// expiry dates as `DD/MM/YYYY` text.
    public static func csv(_ kb: KnowledgeBase) -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        func line(_ fields: [String]) {
            out.append(contentsOf: fields.map(csvField).joined(separator: ";").utf8)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        line(header)
        for r in rows(kb) {
            line([r.id, r.category, r.question, r.type, r.answer, "", r.synonyms, r.expiry.map(TemplateCell.frenchDate) ?? ""])
        }
        return out
    }

    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    /// Every item of a compiled index, matchable ones first (in index order), then the items
    /// without questions (reserved messages, button targets).
    public static func knowledgeBase(of engine: Engine) throws(ChatbotError) -> KnowledgeBase {
        var items: [KnowledgeItem] = []
        for id in engine.allItemIDs {
            if let item = try engine.item(id: id) { items.append(item) }
        }
        return KnowledgeBase(items: items)
    }
}
