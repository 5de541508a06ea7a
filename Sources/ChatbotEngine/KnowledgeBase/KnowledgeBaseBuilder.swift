import ChatbotErrors
/// Gathers rows into items for the row-based formats (TSV, CSV) and the JSON reader,
/// and notes duplicate questions as warnings.
package struct KnowledgeBaseBuilder {
    let fileName: String
    private(set) var items: [KnowledgeItem] = []
    /// Line of each item's first row, for messages about the item as a whole.
    private(set) var itemLines: [Int] = []
    private var itemIndex: [String: Int] = [:]
    /// Normalised question (UTF-8) → (item index, line) of its first occurrence. Byte keys:
    /// String keys hash through NFC normalisation, which dominated the profile.
    private var seenQuestions: [QuestionKey: (item: Int, line: Int)] = [:]

    /// Hashes its bytes in one call; `[UInt8]`'s own hashing feeds the hasher byte by byte.
    private struct QuestionKey: Hashable {
        var bytes: [UInt8]
        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
    private(set) var warnings: [SourceDiagnostic] = []
    /// (item, question) of every question row, in file order.
    private var rowOrder: [QuestionReference] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    func index(of id: String) -> Int? { itemIndex[id] }

    /// Appends a new item whose questions are added separately; the id must be new.
    mutating func addItem(_ item: KnowledgeItem, line: Int) -> Int {
        precondition(itemIndex[item.id] == nil, "callers check for duplicate ids")
        let k = items.count
        var item = item
        item.questions = []
        item.questionVectors = []
        items.append(item)
        itemLines.append(line)
        itemIndex[item.id] = k
        return k
    }

    /// The Usine template's limits, warned about in the engine's own formats too (issue 13):
    /// a question longer than a tweet dilutes its words, and an answer longer than a page is
    /// not read in a chat window.
    package static let longQuestion = 255
    package static let longAnswer = 2000

    /// Adds a question to item `k`, warning if this question was already seen or is long.
    mutating func addQuestion(_ question: String, vector: [Float]?, toItem k: Int, line: Int) {
        let length = question.count
        if length > Self.longQuestion {
            warnings.append(SourceDiagnostic(file: fileName, line: line,
                                             message: "question of id \"\(items[k].id)\" is \(length) characters long (more than \(Self.longQuestion))",
                                             severity: .warning, code: "question_too_long"))
        }
        let key = QuestionKey(bytes: Self.normalized(question))
        if let first = seenQuestions[key] {
            let message = first.item == k
                ? "duplicate question \"\(question)\" for id \"\(items[k].id)\" (first at line \(first.line))"
                : "question \"\(question)\" of id \"\(items[k].id)\" also belongs to id \"\(items[first.item].id)\" (line \(first.line))"
            warnings.append(SourceDiagnostic(file: fileName, line: line, message: message, severity: .warning,
                                             code: first.item == k ? "duplicate_question" : "question_in_two_items"))
        } else {
            seenQuestions[key] = (k, line)
        }
        rowOrder.append(QuestionReference(item: k, question: items[k].questions.count))
        items[k].questions.append(question)
        items[k].questionVectors.append(vector)
    }

    mutating func update(_ k: Int, _ body: (inout KnowledgeItem) -> Void) { body(&items[k]) }

    /// The finished knowledge base; an empty one is an error (`line` says where the data ended).
    func finish(endLine: Int) throws(ChatbotError) -> KnowledgeBase {
        guard !items.isEmpty else {
            throw ChatbotError.diagnostic(file: fileName, line: endLine, message: "no items found in the file")
        }
        var warnings = warnings
        for (k, item) in items.enumerated() where item.answer.count > Self.longAnswer {
            warnings.append(SourceDiagnostic(file: fileName, line: itemLines[k],
                                             message: "answer of id \"\(item.id)\" is \(item.answer.count) characters long (more than \(Self.longAnswer))",
                                             severity: .warning, code: "answer_too_long"))
        }
        var result = items
        // Items that carry no vector at all keep an empty `questionVectors` (the model's "none").
        for k in result.indices where result[k].questionVectors.allSatisfy({ $0 == nil }) {
            result[k].questionVectors = []
        }
        var kb = KnowledgeBase(items: result, warnings: warnings)
        kb.sourceOrder = rowOrder
        return kb
    }

    /// Trimmed, lowercased, inner whitespace runs collapsed, as UTF-8: enough to catch
    /// copy-paste duplicates (the same text in NFC and NFD forms is not caught).
    package static func normalized(_ text: String) -> [UInt8] {
        // Byte-level for ASCII, per-scalar mapping otherwise: `lowercased()` plus a
        // Character split was half of the parse time of a 10k-row file.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isWhitespaceQuickly {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20) }
            pendingSpace = false
            if scalar.value < 0x80 {
                let b = UInt8(scalar.value)
                out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// Unicode whitespace, answering ASCII without the property-table lookup, which
    /// dominated the profile of a 10k-row TSV when asked of every character.
    package var isWhitespaceQuickly: Bool {
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        return properties.isWhitespace
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (Unicode's definition, so NBSP from Excel too).
    package var trimmingWhitespace: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start].isWhitespaceQuickly { start = scalars.index(after: start) }
        while end > start {
            let previous = scalars.index(before: end)
            if !scalars[previous].isWhitespaceQuickly { break }
            end = previous
        }
        return String(self[start..<end])
    }

    /// Empty or only whitespace.
    package var isBlank: Bool { unicodeScalars.allSatisfy(\.isWhitespaceQuickly) }
}

/// Drops a leading UTF-8 byte-order mark (Windows editors and Excel write one).
package func byteOrderMarkLength(_ bytes: [UInt8]) -> Int {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
}
