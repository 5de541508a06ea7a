import ChatbotErrors
/// The researchers' two-column format: `id<TAB>question`, one question per line, no header.
///
/// ```
/// alarm_set	réveille-moi à neuf heures
/// alarm_set	mets une alarme à sept heures
/// weather_query	quel temps fait-il
/// ```
/// - Rows sharing an id are one item; its first row is the main question, the others are
///   alternatives. Rows of one id need not be adjacent; items keep first-appearance order.
/// - Items have no answer, category or expiry (research sets only map questions to ids).
/// - Blank lines (empty, or only spaces and tabs) are skipped, so a trailing newline or a
///   separating empty line is harmless. Lines may end in LF or CRLF; a UTF-8 BOM is skipped.
/// - Errors (file + line): invalid UTF-8, no tab, more than one tab, empty id, empty question,
///   a control character in the id (`id_control_character`, column A).
///   Id and question are trimmed of surrounding whitespace.
enum TSVSource {
    static func parse(bytes: [UInt8], fileName: String) throws(ChatbotError) -> KnowledgeBase {
        var builder = KnowledgeBaseBuilder(fileName: fileName)
        // One question per line: sizing the duplicate check once spares its rehashing.
        builder.reserveQuestions(bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + 1)
        var line = 0
        var start = byteOrderMarkLength(bytes)
        while start < bytes.count || (start == bytes.count && line == 0) {
            line += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            try parseLine(bytes[start..<end], line: line, into: &builder)
            start = next
        }
        return try builder.finish(endLine: max(line, 1))
    }

    private static func parseLine(_ raw: ArraySlice<UInt8>, line: Int,
                                  into builder: inout KnowledgeBaseBuilder) throws(ChatbotError) {
        func fail(_ message: String) -> ChatbotError {
            .diagnostic(file: builder.fileName, line: line, message: message)
        }
        func invalidUTF8() -> ChatbotError { fail("invalid UTF-8 (byte offset \(firstInvalidUTF8Offset(raw)) in the line)") }
        // Split the bytes, not the String: Character iteration would pay for grapheme breaking.
        // Each column is validated and decoded once; a tab byte never sits inside a multi-byte
        // sequence, so the columns are valid exactly when the line is.
        guard let tab = raw.firstIndex(of: 0x09) else {
            guard let text = String(validating: raw, as: UTF8.self) else { throw invalidUTF8() }
            if text.isBlank { return }
            throw fail("missing tab: expected id<TAB>question")
        }
        guard let idColumn = String(validating: raw[..<tab], as: UTF8.self),
              let rest = String(validating: raw[(tab + 1)...], as: UTF8.self) else { throw invalidUTF8() }
        if idColumn.isBlank && rest.isBlank { return }
        let tabs = 1 + raw[(tab + 1)...].reduce(0) { $0 + ($1 == 0x09 ? 1 : 0) }
        guard tabs == 1 else {
            throw fail("too many columns (\(tabs + 1)): expected id<TAB>question, tabs are not allowed in a question")
        }
        let id = idColumn.trimmingWhitespace
        let question = rest.trimmingWhitespace
        guard !id.isEmpty else { throw fail("empty id") }
        if let problem = ItemID.controlCharacterProblem(id) {
            throw ChatbotError.diagnostic(file: builder.fileName, line: line, message: problem, column: "A", code: ItemID.controlCharacterCode)
        }
        guard !question.isEmpty else { throw fail("empty question for id \"\(id)\"") }
        let k = builder.index(of: id) ?? builder.addItem(KnowledgeItem(id: id, questions: []), line: line)
        builder.addQuestion(question, vector: nil, toItem: k, line: line)
    }
}

/// Byte offset of the first byte that breaks UTF-8 validity in `bytes` (its count if none).
func firstInvalidUTF8Offset<C: Collection<UInt8>>(_ bytes: C) -> Int {
    var offset = 0
    var iterator = bytes.makeIterator()
    var decoder = Unicode.UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): offset += UTF8.width(scalar)
        case .emptyInput: return offset
        case .error: return offset
        }
    }
}
