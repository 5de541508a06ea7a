#if canImport(Glibc)
import Glibc
#endif
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
        let lines = bytes.withUnsafeBufferPointer { all in
            Result { () throws(ChatbotError) in try parseLines(all, from: byteOrderMarkLength(bytes), into: &builder) }
        }
        return try builder.finish(endLine: max(try lines.get(), 1))
    }

    /// Adds every row of `all` (from byte `start`) to `builder`; returns the number of lines.
    private static func parseLines(_ all: UnsafeBufferPointer<UInt8>, from start: Int,
                                   into builder: inout KnowledgeBaseBuilder) throws(ChatbotError) -> Int {
        // One question per line: sizing the duplicate check once spares its rehashing.
        var newlines = 0
        var at = 0
        while let found = nextNewline(in: all, from: at) { newlines += 1; at = found + 1 }
        builder.reserveQuestions(newlines + 1, bytes: all.count)
        var line = 0
        var start = start
        // The id column of the last row added, and its item: rows of one item are usually
        // adjacent, and an id of the same bytes needs no decoding, checking or lookup again.
        var last: (id: Range<Int>, item: Int)? = nil
        while start < all.count || (start == all.count && line == 0) {
            line += 1
            var end = nextNewline(in: all, from: start) ?? all.count
            let next = end + 1
            if end > start, all[end - 1] == 0x0D { end -= 1 }
            if let row = try parseLine(all, start..<end, line: line, previous: last, into: &builder) { last = row }
            start = next
        }
        return line
    }

    /// The offset of the first line feed of `all` at or after `start`, if any.
    private static func nextNewline(in all: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < all.count, let p = memchr(all.baseAddress! + start, 0x0A, all.count - start) else { return nil }
        return all.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }

    /// Adds the row at `range` of `all`; returns its id column and item, or nil for a blank line.
    private static func parseLine(_ all: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, line: Int,
                                  previous: (id: Range<Int>, item: Int)?,
                                  into builder: inout KnowledgeBaseBuilder) throws(ChatbotError) -> (id: Range<Int>, item: Int)? {
        let raw = UnsafeBufferPointer(rebasing: all[range])
        func fail(_ message: String) -> ChatbotError {
            .diagnostic(file: builder.fileName, line: line, message: message)
        }
        func invalidUTF8() -> ChatbotError { fail("invalid UTF-8 (byte offset \(firstInvalidUTF8Offset(raw)) in the line)") }
        // Split the bytes, not the String: Character iteration would pay for grapheme breaking.
        // Each column is validated and decoded once; a tab byte never sits inside a multi-byte
        // sequence, so the columns are valid exactly when the line is.
        guard let tab = raw.firstIndex(of: 0x09) else {
            guard let text = String(validating: raw, as: UTF8.self) else { throw invalidUTF8() }
            if text.isBlank { return nil }
            throw fail("missing tab: expected id<TAB>question")
        }
        let idBytes = UnsafeBufferPointer(rebasing: raw[..<tab])
        let questionBytes = UnsafeBufferPointer(rebasing: raw[(tab + 1)...])
        let idRange = range.lowerBound..<(range.lowerBound + tab)
        let k: Int?, id: String, rest: String
        if let previous, previous.id.count == idBytes.count,
           idBytes.isEmpty || memcmp(all.baseAddress! + previous.id.lowerBound, idBytes.baseAddress!, idBytes.count) == 0 {
            // The previous row's id column, byte for byte: valid, not blank, checked.
            guard let column = String(validating: questionBytes, as: UTF8.self) else { throw invalidUTF8() }
            guard !questionBytes.contains(0x09) else { throw tooManyColumns(questionBytes, fail) }
            (k, id, rest) = (previous.item, builder.items[previous.item].id, column)
        } else {
            guard let idColumn = String(validating: idBytes, as: UTF8.self),
                  let column = String(validating: questionBytes, as: UTF8.self) else { throw invalidUTF8() }
            if idColumn.isBlank && column.isBlank { return nil }
            guard !questionBytes.contains(0x09) else { throw tooManyColumns(questionBytes, fail) }
            id = idColumn.trimmingWhitespace
            guard !id.isEmpty else { throw fail("empty id") }
            if let problem = ItemID.controlCharacterProblem(id) {
                throw ChatbotError.diagnostic(file: builder.fileName, line: line, message: problem, column: "A", code: ItemID.controlCharacterCode)
            }
            (k, rest) = (builder.index(of: id), column)
        }
        let question = rest.trimmingWhitespace
        guard !question.isEmpty else { throw fail("empty question for id \"\(id)\"") }
        let item = k ?? builder.addItem(KnowledgeItem(id: id, questions: []), line: line)
        builder.addQuestion(question, vector: nil, toItem: item, line: line)
        return (idRange, item)
    }

    private static func tooManyColumns(_ questionBytes: UnsafeBufferPointer<UInt8>, _ fail: (String) -> ChatbotError) -> ChatbotError {
        let tabs = 1 + questionBytes.reduce(0) { $0 + ($1 == 0x09 ? 1 : 0) }
        return fail("too many columns (\(tabs + 1)): expected id<TAB>question, tabs are not allowed in a question")
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
