#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import ChatbotEngine
import FrenchText

/// A reviewed question to add to the knowledge base: an alternative of `itemID` (out-of-scope
/// examples go to `phrase_hors_sujet`). `id` is the question log's row id.
public struct PendingAlternative: Sendable, Equatable {
    public var id: Int64
    public var itemID: String
    public var question: String

    public init(id: Int64, itemID: String, question: String) {
        self.id = id
        self.itemID = itemID
        self.question = question
    }
}

/// What applying reviewed questions to a knowledge base did.
public struct InboxApplyReport: Sendable, Equatable {
    /// Added as alternatives (`itemID` is the item's id in the base).
    public var added: [PendingAlternative] = []
    /// Already a question of their item (same normalised text): nothing to add.
    public var alreadyPresent: [PendingAlternative] = []
    /// Their item is not in the base: left out, and not to be marked applied.
    public var unknownItem: [PendingAlternative] = []
    /// Added, but the same question is also one of another item (named): the bot may confuse them.
    public var alsoInOtherItem: [(question: PendingAlternative, otherItem: String)] = []
    /// Whether `phrase_hors_sujet` was created (with `InboxApply.defaultFallbackText`).
    public var createdFallbackItem = false
    /// The copy of the previous source, when the source was rewritten.
    public var backupPath: String? = nil

    /// The log ids now in the base: added or already present.
    public var appliedIDs: [Int64] { (added + alreadyPresent).map(\.id).sorted() }

    public static func == (a: Self, b: Self) -> Bool {
        a.added == b.added && a.alreadyPresent == b.alreadyPresent && a.unknownItem == b.unknownItem
            && a.alsoInOtherItem.map(\.question) == b.alsoInOtherItem.map(\.question)
            && a.alsoInOtherItem.map(\.otherItem) == b.alsoInOtherItem.map(\.otherItem)
            && a.createdFallbackItem == b.createdFallbackItem && a.backupPath == b.backupPath
    }
}

/// Writes reviewed questions (the question log's accepted and out-of-scope questions) into
/// a knowledge-base source, in the source's own format.
public enum InboxApply {
    /// The message of a `phrase_hors_sujet` created because the base had none.
    public static let defaultFallbackText =
        "Je suis désolé, je n'ai pas compris votre question. Pouvez-vous la reformuler ?"

    /// Adds each question as an alternative of its item, skipping those the item already has
    /// (compared by `questionKey`). `phrase_hors_sujet` is
    /// created when an out-of-scope question needs it.
    public static func add(_ pending: [PendingAlternative], to kb: inout KnowledgeBase) -> InboxApplyReport {
        var report = InboxApplyReport()
        var indexOfID: [String: Int] = [:]
        for (k, item) in kb.items.enumerated() where indexOfID[item.id] == nil { indexOfID[item.id] = k }
        var owners: [String: String] = [:]
        for item in kb.items {
            for q in item.questions where owners[questionKey(q)] == nil {
                owners[questionKey(q)] = item.id
            }
        }
        for var p in pending {
            let text = TemplateExport.alternativeText(p.question)
            guard !text.isEmpty else { report.alreadyPresent.append(p); continue }
            var k = indexOfID[p.itemID] ?? indexOfID[UsineTemplate.normalizedID(p.itemID)]
            if k == nil && p.itemID == ItemRole.fallbackID {
                // After the welcome message, where the template puts the reserved items.
                let position = kb.items.firstIndex { $0.id == ItemRole.welcomeID }.map { $0 + 1 } ?? 0
                kb.items.insert(KnowledgeItem(id: ItemRole.fallbackID, questions: [], messages: [.text(defaultFallbackText)]),
                                at: position)
                kb.sourceOrder = []
                indexOfID = [:]
                for (j, item) in kb.items.enumerated() where indexOfID[item.id] == nil { indexOfID[item.id] = j }
                k = position
                report.createdFallbackItem = true
            }
            guard let k else { report.unknownItem.append(p); continue }
            p.itemID = kb.items[k].id
            let key = questionKey(text)
            if let owner = owners[key] {
                if owner == p.itemID || kb.items[k].questions.contains(where: { questionKey($0) == key }) {
                    report.alreadyPresent.append(p)
                    continue
                }
                report.alsoInOtherItem.append((p, owner))
            } else {
                owners[key] = p.itemID
            }
            kb.items[k].questions.append(text)
            if !kb.items[k].questionVectors.isEmpty { kb.items[k].questionVectors.append(nil) }
            report.added.append(p)
        }
        // Rows were added: the source's row order no longer covers every question.
        if !report.added.isEmpty { kb.sourceOrder = [] }
        return report
    }

    /// Reads the source at `path`, adds the questions (`add`), and when anything was added,
    /// copies the previous file to `PATH.bak-YYYYMMDD-HHMMSS` (UTC; `-2`, `-3`… if taken)
    /// and rewrites the source atomically in its own format (`serialize`). The new bytes are
    /// read back before anything is written: a file that would not read is never written.
    ///
    /// Throws kind `io` (file access) or `invalidSource` (the source does not read, or its
    /// format cannot be written back: `.ods`).
    public static func apply(_ pending: [PendingAlternative], toSource path: String,
                             nowMilliseconds: Int64? = nil) throws(ChatbotError) -> InboxApplyReport {
        let format = try writableFormat(path)
        let bytes = try readFile(path, maxBytes: InputLimits.maxSourceBytes)
        var kb = try KnowledgeSource.parse(bytes: bytes, fileName: path, format: format)
        var report = add(pending, to: &kb)
        guard !report.added.isEmpty else { return report }
        let templateCSV = format == .csv && CSVTemplateSource.isTemplate(bytes)
        let updated = try serialize(kb, format: format, templateCSV: templateCSV)
        let check = try KnowledgeSource.parse(bytes: updated, fileName: path, format: format)
        let expected = kb.items.reduce(0) { $0 + $1.questions.count }
        guard check.items.reduce(0, { $0 + $1.questions.count }) == expected else {
            throw ChatbotError.diagnostic(file: path, line: 0, message: "internal error: the rewritten source would not read back the same questions; nothing was written",
                                   code: "write_back_mismatch")
        }
        report.backupPath = try backUp(bytes, of: path, nowMilliseconds: nowMilliseconds ?? currentTimeMilliseconds())
        try writeFileAtomically(path, bytes: updated)
        return report
    }

    /// The format of a source that can be rewritten; `.ods` cannot (yet).
    public static func writableFormat(_ path: String) throws(ChatbotError) -> KnowledgeSourceFormat {
        let format: KnowledgeSourceFormat
        if let f = KnowledgeSourceFormat(path: path) {
            format = f
        } else if let f = KnowledgeSource.detect((try? readFile(path, maxBytes: InputLimits.maxSourceBytes)) ?? []) {
            format = f
        } else {
            throw ChatbotError.diagnostic(file: path, line: 0, message: "cannot tell the source's format; supported: \(KnowledgeSourceFormat.supportedExtensions)",
                                   code: "unsupported_format")
        }
        if format == .ods {
            throw ChatbotError.diagnostic(
                file: path, line: 0,
                message: "writing back to an .ods workbook is not supported yet: export the base to .xlsx (chatbot-cli export \(path) -o modele.xlsx), maintain that file, and apply the inbox to it",
                code: "ods_write_back")
        }
        return format
    }

    /// The knowledge base in a source format: the template for `.xlsx` (and for `.csv` when
    /// `templateCSV`), the engine's CSV otherwise, `id<TAB>question` rows for `.tsv`,
    /// `{"items": […]}` for `.json`.
    public static func serialize(_ kb: KnowledgeBase, format: KnowledgeSourceFormat, templateCSV: Bool) throws(ChatbotError) -> [UInt8] {
        switch format {
        case .xlsx: return try TemplateExport.xlsx(kb)
        case .csv: return templateCSV ? TemplateExport.csv(kb) : SourceWriter.engineCSV(kb)
        case .tsv: return SourceWriter.tsv(kb)
        case .json: return SourceWriter.json(kb)
        case .ods: throw ChatbotError.diagnostic(file: "", line: 0, message: "writing .ods is not supported", code: "ods_write_back")
        }
    }

    /// `PATH.bak-YYYYMMDD-HHMMSS` (UTC), created exclusively (never over another file).
    static func backUp(_ bytes: [UInt8], of path: String, nowMilliseconds: Int64) throws(ChatbotError) -> String {
        let seconds = Int(nowMilliseconds / 1000)
        let day = CalendarDate(daysSince1970: seconds / 86_400)
        let rest = seconds % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let stamp = "\(day.year)\(two(day.month))\(two(day.day))-\(two(rest / 3600))\(two(rest / 60 % 60))\(two(rest % 60))"
        var suffix = 1
        while true {
            let name = "\(path).bak-\(stamp)\(suffix == 1 ? "" : "-\(suffix)")"
            if try createFile(name, bytes: bytes) { return name }
            guard suffix < 1000 else { throw ChatbotError.file(path: name, reason: .system(call: "open", errno: EEXIST)) }
            suffix += 1
        }
    }
}

/// The engine's own source formats, written from a knowledge base.
enum SourceWriter {
    /// `id<TAB>question`, one row per question (tabs and line breaks in a question become spaces).
    static func tsv(_ kb: KnowledgeBase) -> [UInt8] {
        var out = ""
        for item in kb.items {
            for q in item.questions {
                out += oneLine(item.id) + "\t" + oneLine(q) + "\n"
            }
        }
        return Array(out.utf8)
    }

    private static func oneLine(_ s: String) -> String {
        String(s.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }

    /// `id,question,answer,category,hidden,expires_at,attr:…`: the item's first row carries
    /// every column, each further question a row with its id and question.
    static func engineCSV(_ kb: KnowledgeBase) -> [UInt8] {
        let attributeNames = Set(kb.items.flatMap(\.attributes.keys)).sorted()
        func field(_ s: String) -> String {
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
            return "\"" + s.replacing("\"", with: "\"\"") + "\""
        }
        var out = (["id", "question", "answer", "category", "hidden", "expires_at"] + attributeNames.map { "attr:" + $0 })
            .map(field).joined(separator: ",") + "\n"
        for item in kb.items {
            for (k, q) in item.questions.enumerated() {
                var fields = [item.id, q]
                if k == 0 {
                    fields += [item.plainAnswer, item.category, item.hidden ? "true" : "", item.expiresAt?.description ?? ""]
                    fields += attributeNames.map { item.attributes[$0] ?? "" }
                } else {
                    fields += Array(repeating: "", count: 4 + attributeNames.count)
                }
                out += fields.map(field).joined(separator: ",") + "\n"
            }
        }
        return Array(out.utf8)
    }

    /// `{"items": […]}` with every field the JSON source reads.
    static func json(_ kb: KnowledgeBase) -> [UInt8] {
        func button(_ b: Button) -> JSONValue {
            switch b.target {
            case .url(let u): .object([("title", .string(b.title)), ("url", .string(u))])
            case .item(let id): .object([("title", .string(b.title)), ("item", .string(id))])
            }
        }
        func message(_ m: Message) -> JSONValue {
            switch m {
            case .text(let t): .object([("type", .string("text")), ("text", .string(t))])
            case .image(let u): .object([("type", .string("image")), ("url", .string(u))])
            case .buttons(let b): .object([("type", .string("buttons")), ("buttons", .array(b.map(button)))])
            case .quickReplies(let b): .object([("type", .string("quick_replies")), ("buttons", .array(b.map(button)))])
            }
        }
        func question(_ item: KnowledgeItem, _ k: Int) -> JSONValue {
            if k < item.questionVectors.count, let v = item.questionVectors[k] {
                return .object([("text", .string(item.questions[k])), ("vector", .array(v.map { .number(Double($0)) }))])
            }
            return .string(item.questions[k])
        }
        var lines: [String] = []
        for item in kb.items {
            var members: [(key: String, value: JSONValue)] = [("id", .string(item.id))]
            if !item.category.isEmpty { members.append(("category", .string(item.category))) }
            if !item.questions.isEmpty {
                members.append(("question", question(item, 0)))
                if item.questions.count > 1 {
                    members.append(("alternatives", .array(item.questions.indices.dropFirst().map { question(item, $0) })))
                }
            }
            if !item.answer.isEmpty { members.append(("answer", .string(item.answer))) }
            if !item.messages.isEmpty { members.append(("messages", .array(item.messages.map(message)))) }
            if item.hidden { members.append(("hidden", .bool(true))) }
            if let e = item.expiresAt { members.append(("expires_at", .string(e.description))) }
            if !item.attributes.isEmpty {
                members.append(("attributes", .object(item.attributes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            }
            lines.append("  " + JSONValue.object(members).serialized())
        }
        return Array(("{\"items\": [\n" + lines.joined(separator: ",\n") + "\n]}\n").utf8)
    }
}
