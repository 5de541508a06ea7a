import ChatbotErrors
import ChatbotEngine
import FrenchText

/// The Usine à chatbots spreadsheet template, exactly as HR staff fill it in.
///
/// Header row (cells matched without regard to case, accents or extra spaces):
/// `ID | Catégorie | Question | Type de réponse | Réponse(s) | | Questions synonymes (à séparer
/// par un point-virgule ;) | Expire le (DD/MM/YYYY)`; `ID`, `Question`, `Type de réponse` and
/// `Réponse(s)` are required, other columns are ignored.
///
/// - One item spans several rows. A row with an empty ID continues the previous row's item;
///   the main question is the `Question` of the item's first row that has one;
///   `Questions synonymes` are split on `;`.
/// - Each row is one message of the answer, in row order: `Texte`, `Image` (a URL), `Lien` or
///   `Bouton` (buttons), `Réponse à choix` (quick replies). Buttons are written
///   `Titre <cible>; Titre 2 <cible 2>`: a URL target opens a page, any other target is the
///   ID of an item of the file. An image, buttons or quick replies follow a text of the item.
/// - IDs are normalised as the Usine does: accents removed, every character other than a
///   letter, digit or `_` replaced by `_` (button targets too, so that they still meet).
/// - An ID holding a control character (NUL, tab, line break…) is an error
///   (`id_control_character`), even though normalisation would have replaced it.
/// - Reserved IDs (`phrase_presentation`, `phrase_hors_sujet`, `phrase_feedback`) and IDs
///   that a button targets need no question. `st_` IDs are small talk.
/// - Expiry: a date cell, or text `DD/MM/YYYY` (or `YYYY-MM-DD`).
///
/// Every problem of the file is collected, each with its row, column and a stable code, in
/// French: errors refuse the file (`ChatbotError`), warnings are returned with the base.
struct UsineTemplate {
    let fileName: String

    /// The columns found in the header row.
    struct Columns {
        var id: Int
        var category: Int?
        var question: Int
        var type: Int
        var answer: Int
        var synonyms: Int?
        var expiry: Int?
    }

    /// Whether a header row is the template's: it names both `ID` and `Type de réponse`.
    static func isTemplateHeader(_ cells: [String]) -> Bool {
        let names = Set(cells.map(headerKey))
        return names.contains("id") && names.contains("type de reponse")
    }

    /// Lowercased, accents removed, spaces collapsed: how header cells are compared.
    static func headerKey(_ text: String) -> String {
        foldAccents(text).lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\u{A0}" })
            .joined(separator: " ")
    }

    /// Upper bounds of the Usine's own database, kept as warnings: a longer text still works here.
    static let maxShortText = 255
    static let maxAnswer = 2000

    private var diagnostics: [SourceDiagnostic] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    private mutating func report(_ severity: SourceDiagnostic.Severity, _ code: String, row: Int, column: Int?, _ message: String) {
        diagnostics.append(SourceDiagnostic(file: fileName, line: row, message: message, severity: severity,
                                            column: column.map(columnLetter), code: code))
    }

    /// An item being assembled from its rows.
    private struct Draft {
        var id: String
        var firstRow: Int
        var category = ""
        var categoryRow = 0
        var question: String? = nil
        var questionRow = 0
        var alternatives: [(text: String, row: Int)] = []
        var messages: [Message] = []
        var expiry: CalendarDate? = nil
        var expiryRow = 0
        /// Whether one of its rows had an error (then a missing answer is no news).
        var hasError = false
        /// Item targets of its buttons, with the row, for the check that they exist.
        var targets: [(id: String, title: String, row: Int)] = []
    }

    /// Reads the rows of a sheet (header first; blank rows are skipped).
    mutating func parse(_ rows: [TemplateRow]) throws(ChatbotError) -> KnowledgeBase {
        guard let headerRow = rows.first(where: { !$0.isBlank }) else {
            report(.error, "empty_file", row: 1, column: nil, "Le fichier est vide : la première ligne doit contenir les en-têtes ID, Catégorie, Question, Type de réponse, Réponse(s), Questions synonymes.")
            throw ChatbotError.report(diagnostics)
        }
        guard let columns = readHeader(headerRow) else { throw ChatbotError.report(diagnostics) }

        var drafts: [Draft] = []
        var indexOfID: [String: Int] = [:]
        for row in rows where row.number > headerRow.number && !row.isBlank {
            let errorsBefore = diagnostics.count { $0.severity == .error }
            let k = readRow(row, columns: columns, drafts: &drafts, indexOfID: &indexOfID)
            if let k, diagnostics.count(where: { $0.severity == .error }) > errorsBefore { drafts[k].hasError = true }
        }
        if drafts.isEmpty && diagnostics.allSatisfy({ $0.severity == .warning }) {
            report(.error, "no_items", row: headerRow.number, column: nil, "Le fichier ne contient aucune ligne de données sous les en-têtes.")
        }
        let items = finish(drafts, columns: columns)
        diagnostics.sort { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ChatbotError.report(diagnostics) }
        return KnowledgeBase(items: items, warnings: diagnostics)
    }

    private mutating func readHeader(_ row: TemplateRow) -> Columns? {
        var found: [String: Int] = [:]
        for (column, cell) in row.cells.sorted(by: { $0.key < $1.key }) {
            let key = Self.headerKey(cell.text)
            let name: String
            switch key {
            case "id": name = "id"
            case "categorie": name = "category"
            case "question": name = "question"
            case "type de reponse": name = "type"
            case "reponse(s)", "reponse", "reponses": name = "answer"
            default:
                if key.hasPrefix("questions synonymes") { name = "synonyms" }
                else if key.hasPrefix("expire le") { name = "expiry" }
                else { continue }  // the template ignores other columns (comments, dates of update)
            }
            if let first = found[name] {
                report(.error, "duplicate_column", row: row.number, column: column,
                       "La colonne « \(cell.text.trimmingWhitespace) » apparaît deux fois dans les en-têtes (déjà en \(columnLetter(first))).")
            } else {
                found[name] = column
            }
        }
        let required = [("id", "ID"), ("question", "Question"), ("type", "Type de réponse"), ("answer", "Réponse(s)")]
        let missing = required.filter { found[$0.0] == nil }.map { "« \($0.1) »" }
        if !missing.isEmpty {
            report(.error, "missing_column", row: row.number, column: nil,
                   "En-tête\(missing.count > 1 ? "s" : "") manquant\(missing.count > 1 ? "s" : "") : \(missing.joined(separator: ", ")). La première ligne doit reprendre les en-têtes du modèle de l'Usine à chatbots.")
        }
        guard missing.isEmpty, !diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        return Columns(id: found["id"]!, category: found["category"], question: found["question"]!, type: found["type"]!,
                       answer: found["answer"]!, synonyms: found["synonyms"], expiry: found["expiry"])
    }

    /// Reads one data row into its item; returns the item's position (nil when the row
    /// belongs to none).
    @discardableResult
    private mutating func readRow(_ row: TemplateRow, columns: Columns, drafts: inout [Draft], indexOfID: inout [String: Int]) -> Int? {
        let rawID = row.text(columns.id)
        let question = row.text(columns.question)
        let n = row.number

        // 1. Which item the row belongs to.
        var k: Int
        if rawID.isEmpty {
            guard let last = drafts.indices.last else {
                report(.error, "missing_id", row: n, column: columns.id, "L'ID n'est pas renseigné.")
                return nil
            }
            if !question.isEmpty && drafts[last].question != nil {
                report(.error, "missing_id", row: n, column: columns.id,
                       "L'ID n'est pas renseigné : cette ligne pose une nouvelle question (« \(question) ») sans identifiant.")
                return nil
            }
            k = last
        } else {
            if let (scalar, position) = ItemID.firstControlCharacter(rawID) {
                // The Usine would turn it into `_`, but such an ID is a paste accident: refused,
                // and the row is still read under its normalised ID for the other checks.
                report(.error, ItemID.controlCharacterCode, row: n, column: columns.id,
                       "L'ID contient un caractère de contrôle invisible (\(ItemID.codePoint(scalar)), \(position)\(position == 1 ? "er" : "e") caractère) : retirez-le. Un ID ne peut contenir ni caractère nul, ni tabulation, ni retour à la ligne.")
            }
            let id = Self.normalizedID(rawID)
            if let existing = indexOfID[id], existing != drafts.indices.last, !question.isEmpty {
                // A new question under an ID used earlier for another one (real files do
                // this): both are kept, the later one under a new ID, and the user is told.
                var suffix = 2
                while indexOfID["\(id)_\(suffix)"] != nil { suffix += 1 }
                let renamed = "\(id)_\(suffix)"
                report(.warning, "id_reused", row: n, column: columns.id,
                       "L'ID « \(rawID) » est déjà utilisé ligne \(drafts[existing].firstRow) pour une autre question : cette demande est enregistrée sous l'ID « \(renamed) ». Donnez-lui un ID à elle.")
                k = drafts.count
                drafts.append(Draft(id: renamed, firstRow: n))
                indexOfID[renamed] = k
            } else if let existing = indexOfID[id] {
                if existing != drafts.indices.last {
                    report(.warning, "id_not_consecutive", row: n, column: columns.id,
                           "Les lignes de l'ID « \(rawID) » ne se suivent pas (première ligne \(drafts[existing].firstRow)) : ce message est ajouté à la fin de sa réponse.")
                }
                k = existing
            } else {
                if rawID.utf8.count > 0, rawID.count > Self.maxShortText {
                    report(.warning, "too_long", row: n, column: columns.id, "L'ID dépasse \(Self.maxShortText) caractères.")
                }
                k = drafts.count
                drafts.append(Draft(id: id, firstRow: n))
                indexOfID[id] = k
            }
        }

        // 2. Question, category, synonyms, expiry.
        if !question.isEmpty {
            if question.count > Self.maxShortText {
                report(.warning, "too_long", row: n, column: columns.question, "La question dépasse \(Self.maxShortText) caractères.")
            }
            if drafts[k].question == nil {
                drafts[k].question = question
                drafts[k].questionRow = n
            } else {
                report(.warning, "second_question", row: n, column: columns.question,
                       "Cet ID a déjà une question principale (ligne \(drafts[k].questionRow)) : « \(question) » est ajoutée comme question synonyme.")
                drafts[k].alternatives.append((question, n))
            }
        }
        let category = row.text(columns.category)
        if !category.isEmpty {
            if drafts[k].category.isEmpty {
                drafts[k].category = category
                drafts[k].categoryRow = n
            } else if drafts[k].category != category {
                report(.warning, "category_conflict", row: n, column: columns.category,
                       "La catégorie « \(category) » diffère de « \(drafts[k].category) » donnée ligne \(drafts[k].categoryRow) pour le même ID : la première est gardée.")
            }
        }
        for alternative in row.text(columns.synonyms).split(separator: ";") {
            let text = alternative.trimmingWhitespace
            if text.isEmpty { continue }
            if text.count > Self.maxShortText {
                report(.warning, "too_long", row: n, column: columns.synonyms, "La question synonyme « \(text.prefix(40))… » dépasse \(Self.maxShortText) caractères.")
            }
            drafts[k].alternatives.append((text, n))
        }
        if let column = columns.expiry, let cell = row.cells[column], !cell.text.isBlank {
            let date: CalendarDate?
            switch cell {
            case .date(let d): date = d
            case .text(let t): date = CalendarDate(t.trimmingWhitespace)
            }
            if let date {
                if drafts[k].expiry == nil {
                    drafts[k].expiry = date
                    drafts[k].expiryRow = n
                } else if drafts[k].expiry != date {
                    report(.warning, "expiry_conflict", row: n, column: column,
                           "La date d'expiration diffère de celle donnée ligne \(drafts[k].expiryRow) pour le même ID : la première est gardée.")
                }
            } else {
                report(.error, "invalid_expiry", row: n, column: column,
                       "La date d'expiration « \(cell.text.trimmingWhitespace) » n'est pas une date valide : écrivez-la JJ/MM/AAAA, par exemple 31/12/2027.")
            }
        }

        // 3. The message of the row.
        let type = row.text(columns.type)
        let answer = row.cells[columns.answer].map { Self.cleanAnswer($0.text) } ?? ""
        switch (type.isEmpty, answer.isEmpty) {
        case (true, true):
            // A row that only adds synonyms, a category or an expiry to its item is fine.
            let addsSomething = !row.text(columns.synonyms).isEmpty || !category.isEmpty
                || (columns.expiry.map { !row.text($0).isEmpty } ?? false)
            if !question.isEmpty || !addsSomething {
                report(.error, "missing_answer_and_type", row: n, column: columns.type, "La réponse et le type de réponse ne sont pas renseignés.")
            }
            return k
        case (true, false):
            report(.error, "missing_type", row: n, column: columns.type,
                   "Le type de réponse n'est pas renseigné : choisissez Texte, Image, Lien ou Réponse à choix.")
            return k
        case (false, true):
            report(.error, "missing_answer", row: n, column: columns.answer, "La réponse n'est pas renseignée.")
            return k
        case (false, false):
            break
        }
        if answer.count > Self.maxAnswer {
            report(.warning, "too_long", row: n, column: columns.answer, "La réponse dépasse \(Self.maxAnswer) caractères.")
        }
        let kind = Self.headerKey(type)
        let message: Message
        switch kind {
        case "texte", "text":
            message = .text(answer)
        case "image", "lien", "bouton", "reponse a choix", "reponses a choix":
            guard case .text? = drafts[k].messages.last else {
                report(.error, "needs_text_before", row: n, column: columns.type,
                       "Ce type de réponse (\(type)) doit suivre une réponse de type Texte du même ID.")
                return k
            }
            if kind == "image" {
                let url = answer.trimmingWhitespace
                if case .item = ButtonTarget(parsing: url) {
                    report(.warning, "image_url", row: n, column: columns.answer,
                           "L'image « \(url) » n'est pas une adresse web (https://…) : le chatbot ne pourra pas l'afficher.")
                }
                message = .image(url: url)
            } else {
                guard let buttons = parseButtons(answer, row: n, column: columns.answer) else { return k }
                for b in buttons { if case .item(let id) = b.target { drafts[k].targets.append((id, b.title, n)) } }
                message = kind == "lien" || kind == "bouton" ? .buttons(buttons) : .quickReplies(buttons)
            }
        default:
            report(.error, "unknown_type", row: n, column: columns.type,
                   "Le type de réponse « \(type) » n'existe pas : choisissez Texte, Image, Lien ou Réponse à choix.")
            return k
        }
        drafts[k].messages.append(message)
        return k
    }

    /// `Titre <cible>; Titre 2 <cible 2>`; nil (after reporting) when malformed.
    private mutating func parseButtons(_ text: String, row: Int, column: Int) -> [Button]? {
        var buttons: [Button] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == ";" || $0.isWhitespace }
            if rest.isEmpty { break }
            guard let open = rest.firstIndex(of: "<") else {
                report(.error, "invalid_button", row: row, column: column,
                       "Le bouton « \(rest.trimmingWhitespace) » n'a pas de cible : écrivez Titre <lien ou ID>, et séparez les boutons par « ; ».")
                return nil
            }
            guard let close = rest[open...].firstIndex(of: ">") else {
                report(.error, "invalid_button", row: row, column: column,
                       "Il manque le « > » qui ferme la cible du bouton « \(rest[..<open].trimmingWhitespace) ».")
                return nil
            }
            let title = rest[..<open].trimmingWhitespace
            let target = rest[rest.index(after: open)..<close].trimmingWhitespace
            guard !title.isEmpty else {
                report(.error, "invalid_button", row: row, column: column, "Un bouton n'a pas de titre avant sa cible <\(target)>.")
                return nil
            }
            guard !target.isEmpty else {
                report(.error, "invalid_button", row: row, column: column, "Le bouton « \(title) » a une cible vide <>.")
                return nil
            }
            let parsed = ButtonTarget(parsing: target)
            if case .item(let id) = parsed {
                buttons.append(Button(title: title, target: .item(Self.normalizedID(id))))
            } else {
                buttons.append(Button(title: title, target: parsed))
            }
            rest = rest[rest.index(after: close)...]
        }
        if buttons.isEmpty {
            report(.error, "invalid_button", row: row, column: column, "Aucun bouton : écrivez Titre <lien ou ID>; Titre 2 <lien ou ID 2>.")
            return nil
        }
        return buttons
    }

    private mutating func finish(_ drafts: [Draft], columns: Columns) -> [KnowledgeItem] {
        let ids = Set(drafts.map(\.id))
        var targeted = Set<String>()
        for d in drafts {
            for t in d.targets {
                targeted.insert(t.id)
                if !ids.contains(t.id) {
                    report(.error, "unknown_target", row: t.row, column: columns.answer,
                           "Le bouton « \(t.title) » renvoie vers l'ID « \(t.id) », qui n'existe pas dans le fichier.")
                }
            }
        }
        var items: [KnowledgeItem] = []
        var seen: [[UInt8]: (id: String, row: Int)] = [:]
        for d in drafts {
            let role = ItemRole(id: d.id)
            var questions = d.question.map { [$0] } ?? []
            if d.question == nil {
                if !role.isReserved && !targeted.contains(d.id) {
                    report(.error, "no_question", row: d.firstRow, column: columns.question,
                           "Aucune question n'est renseignée pour l'ID « \(d.id) » (seuls les ID réservés phrase_presentation, phrase_hors_sujet, phrase_feedback et les cibles de boutons peuvent s'en passer).")
                }
            } else {
                if d.category.isEmpty && role != .smallTalk {
                    report(.warning, "no_category", row: d.questionRow, column: columns.category, "La catégorie n'est pas renseignée.")
                }
                if d.alternatives.isEmpty {
                    report(.warning, "no_alternatives", row: d.questionRow, column: columns.synonyms ?? columns.question,
                           "Aucune question synonyme n'a été renseignée, le chatbot aura du mal à reconnaître cette demande.")
                }
            }
            if d.messages.isEmpty && !d.hasError {
                report(.warning, "no_answer", row: d.firstRow, column: columns.answer,
                       "L'ID « \(d.id) » n'a aucune réponse : le chatbot n'aura rien à envoyer.")
            }
            for (text, row) in (d.question.map { [($0, d.questionRow)] } ?? []) + d.alternatives.map({ ($0.text, $0.row) }) {
                let key = KnowledgeBaseBuilder.normalized(text)
                if let first = seen[key] {
                    report(.warning, "duplicate_question", row: row, column: nil,
                           first.id == d.id
                           ? "La question « \(text) » est en double pour l'ID « \(d.id) » (déjà ligne \(first.row))."
                           : "La question « \(text) » de l'ID « \(d.id) » est aussi une question de l'ID « \(first.id) » (ligne \(first.row)) : le chatbot ne pourra pas les distinguer.")
                    if first.id == d.id { continue }
                } else {
                    seen[key] = (d.id, row)
                }
                if text != d.question || row != d.questionRow { questions.append(text) }
            }
            items.append(KnowledgeItem(id: d.id, category: d.category, questions: questions, expiresAt: d.expiry, messages: d.messages))
        }
        return items
    }

    /// Text as the Usine cleans it: line endings unified, runs of blank lines collapsed to one
    /// line break, surrounding whitespace trimmed.
    static func cleanAnswer(_ text: String) -> String {
        let unified = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        var lines: [Substring] = []
        for line in unified.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isBlank { continue }  // runs of blank lines become a single line break
            lines.append(line)
        }
        return lines.joined(separator: "\n").trimmingWhitespace
    }

    /// The Usine's ID normalisation: accents removed, and every character that is not an
    /// ASCII letter, digit or `_` replaced by `_`.
    static func normalizedID(_ id: String) -> String {
        var out = ""
        for scalar in foldAccents(id.trimmingWhitespace).unicodeScalars {
            let v = scalar.value
            let word = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
            out.unicodeScalars.append(word ? scalar : "_")
        }
        return out
    }
}
