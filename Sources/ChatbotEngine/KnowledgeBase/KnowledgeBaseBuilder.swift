import ChatbotErrors
/// Gathers rows into items for the row-based formats (TSV, CSV) and the JSON reader,
/// and notes duplicate questions as warnings.
package struct KnowledgeBaseBuilder {
    let fileName: String
    private(set) var items: [KnowledgeItem] = []
    /// Line of each item's first row, for messages about the item as a whole.
    private(set) var itemLines: [Int] = []
    private var itemIndex: [String: Int] = [:]
    /// Normalised questions (bytes: String keys hash through NFC normalisation, which
    /// dominated the profile), each with the item and line of its first occurrence.
    private var seenQuestions = SeenQuestions()
    private(set) var warnings: [SourceDiagnostic] = []
    /// (item, question) of every question row, in file order.
    private var rowOrder: [QuestionReference] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    func index(of id: String) -> Int? { itemIndex[id] }

    /// Room for about `count` questions of about `bytes` bytes in all, when the source can
    /// tell (one per TSV line).
    mutating func reserveQuestions(_ count: Int, bytes: Int) {
        seenQuestions.reserveCapacity(questions: count, bytes: bytes)
        rowOrder.reserveCapacity(count)
    }

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
        // Counting characters walks grapheme clusters; a question of few enough bytes has
        // few enough characters without it.
        let length = question.utf8.count > Self.longQuestion ? question.count : 0
        if length > Self.longQuestion {
            warnings.append(SourceDiagnostic(file: fileName, line: line,
                                             message: "question of id \"\(items[k].id)\" is \(length) characters long (more than \(Self.longQuestion))",
                                             severity: .warning, code: "question_too_long"))
        }
        if let first = seenQuestions.insert(item: k, line: line, normalize: { Self.appendNormalized(question, to: &$0) }) {
            let message = first.item == k
                ? "duplicate question \"\(question)\" for id \"\(items[k].id)\" (first at line \(first.line))"
                : "question \"\(question)\" of id \"\(items[k].id)\" also belongs to id \"\(items[first.item].id)\" (line \(first.line))"
            warnings.append(SourceDiagnostic(file: fileName, line: line, message: message, severity: .warning,
                                             code: first.item == k ? "duplicate_question" : "question_in_two_items"))
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
        var out: [UInt8] = []
        appendNormalized(text, to: &out)
        return out
    }

    /// Appends `normalized(text)` to `out`.
    static func appendNormalized(_ text: String, to out: inout [UInt8]) {
        var text = text
        if text.withUTF8({ appendNormalizedLatinOne($0, to: &out) }) { return }
        // Byte-level for ASCII, per-scalar mapping otherwise: `lowercased()` plus a
        // Character split was half of the parse time of a 10k-row file.
        out.reserveCapacity(out.count + text.utf8.count)
        let start = out.count
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isWhitespaceQuickly {
                pendingSpace = out.count > start
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
    }
}

extension KnowledgeBaseBuilder {
    /// `normalized` of a text of ASCII and Latin-1 letters only (French's), read as bytes;
    /// nil for any other text. Same result as the scalar loop, at a third of its cost: the
    /// scalar loop was a fifth of parsing a TSV row.
    static func normalizedLatinOne(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        return appendNormalizedLatinOne(bytes, to: &out) ? out : nil
    }

    /// Appends `normalizedLatinOne(bytes)` to `out` and returns true, or returns false
    /// (`out` untouched) for a text beyond ASCII and Latin-1.
    static func appendNormalizedLatinOne(_ bytes: UnsafeBufferPointer<UInt8>, to result: inout [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            guard b == 0xC2 || b == 0xC3, i + 1 < bytes.count, bytes[i + 1] & 0xC0 == 0x80 else { return false }
            i += 2
        }
        // Never longer than the input: Latin-1 letters lower to letters of the same length.
        let start = result.count
        result.append(contentsOf: repeatElement(0, count: bytes.count))
        let written = result.withUnsafeMutableBufferPointer { all in
            let out = UnsafeMutableBufferPointer(rebasing: all[start...])
            var o = 0, i = 0, pendingSpace = false
            func emit(_ byte: UInt8) {
                if pendingSpace { out[o] = 0x20; o += 1 }
                pendingSpace = false
                out[o] = byte
                o += 1
            }
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                        pendingSpace = o > 0
                    } else {
                        emit(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
                    }
                    i += 1
                    continue
                }
                var v = UInt32(b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                i += 2
                if v == 0x85 || v == 0xA0 {  // NEL and no-break space: whitespace
                    pendingSpace = o > 0
                    continue
                }
                // À–Þ (not ×) lower by 0x20; every other Latin-1 character is its own lowercase.
                if v >= 0xC0 && v <= 0xDE && v != 0xD7 { v += 0x20 }
                emit(UInt8(0xC0 | v >> 6))
                out[o] = UInt8(0x80 | v & 0x3F)
                o += 1
            }
            return o
        }
        result.removeLast(bytes.count - written)
        return true
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
        // Most cells have nothing to trim: no second copy of them.
        if start == scalars.startIndex, end == scalars.endIndex, let whole = self as? String { return whole }
        return String(self[start..<end])
    }

    /// Empty or only whitespace.
    package var isBlank: Bool { unicodeScalars.allSatisfy(\.isWhitespaceQuickly) }
}

/// Drops a leading UTF-8 byte-order mark (Windows editors and Excel write one).
package func byteOrderMarkLength(_ bytes: [UInt8]) -> Int {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
}
