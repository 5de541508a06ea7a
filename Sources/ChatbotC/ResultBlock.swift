#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import ChatbotEngine

/// A `cb_result` is one `malloc`ed block, so that freeing it is one `free` and reading it
/// takes no Swift runtime calls:
///
///     0   match count      Int
///     8   decision         Int32 (cb_decision)
///     12  suggestion count Int32
///     16  reply            Int (offset of the reply's JSON text)
///     24  suggestions      Int (offset of `suggestion count` Int32 match positions)
///     32  entries          count × Entry
///     …   strings          NUL-terminated, referenced by byte offsets from the block start
enum ResultBlock {
    struct Entry {
        var itemIndex: Int32
        var score: Float
        var id: Int
        var question: Int
        var answer: Int
        var category: Int
    }

    static let entriesOffset = 32

    static func make(_ result: MatchResult) throws(ChatbotError) -> UnsafeMutableRawPointer {
        let stride = MemoryLayout<Entry>.stride
        // Sizes first, without intermediate arrays: this runs once per question.
        var reply: [UInt8] = []  // stays empty (no allocation) for an empty reply, written "[]"
        if !result.reply.isEmpty { reply = result.replyJSONBytes }
        let suggestionsAt = entriesOffset + result.matches.count * stride
        var room = (reply.isEmpty ? 2 : reply.count) + 1
        for m in result.matches {
            room += HandleBlock.room(m.id) + HandleBlock.room(m.question) + HandleBlock.room(m.answer) + HandleBlock.room(m.category)
        }
        var writer = try HandleBlock(fixedSize: suggestionsAt + result.suggestions.count * 4,
                                     stringRoom: room, what: "a result")
        let block = writer.base
        block.storeBytes(of: result.matches.count, toByteOffset: 0, as: Int.self)
        block.storeBytes(of: decisionCode(result.decision), toByteOffset: 8, as: Int32.self)
        block.storeBytes(of: Int32(clamping: result.suggestionCount), toByteOffset: 12, as: Int32.self)
        for (k, position) in result.suggestions.enumerated() {
            block.storeBytes(of: Int32(clamping: position), toByteOffset: suggestionsAt + 4 * k, as: Int32.self)
        }
        block.storeBytes(of: suggestionsAt, toByteOffset: 24, as: Int.self)
        block.storeBytes(of: reply.isEmpty ? writer.put("[]") : writer.put(bytes: reply), toByteOffset: 16, as: Int.self)
        for (i, m) in result.matches.enumerated() {
            let entry = Entry(itemIndex: Int32(clamping: m.itemIndex), score: m.score, id: writer.put(m.id),
                              question: writer.put(m.question), answer: writer.put(m.answer), category: writer.put(m.category))
            (block + entriesOffset + i * stride).initializeMemory(as: Entry.self, repeating: entry, count: 1)
        }
        return try writer.finish(.result)
    }

    /// The block behind a result handle, once the registry knows it as a live result.
    @inline(__always)
    static func checked(_ handle: UnsafeRawPointer?) throws(ChatbotError) -> UnsafeRawPointer {
        try HandleRegistry.checked(handle, .result, name: "result")
    }

    static func count(_ block: UnsafeRawPointer) -> Int { block.load(fromByteOffset: 0, as: Int.self) }
    static func decision(_ block: UnsafeRawPointer) -> Int32 { block.load(fromByteOffset: 8, as: Int32.self) }
    static func suggestionCount(_ block: UnsafeRawPointer) -> Int32 { block.load(fromByteOffset: 12, as: Int32.self) }
    static func reply(_ block: UnsafeRawPointer) -> UnsafePointer<CChar> { string(block, at: block.load(fromByteOffset: 16, as: Int.self)) }

    /// Position in the matches of suggestion `i`, or an error naming the valid range.
    static func suggestion(_ block: UnsafeRawPointer, _ i: Int) throws(ChatbotError) -> Int32 {
        let n = Int(suggestionCount(block))
        guard i >= 0, i < n else { throw ChatbotError(.invalidArgument, "suggestion index \(i) is out of range (the result has \(n) suggestions)") }
        return block.load(fromByteOffset: block.load(fromByteOffset: 24, as: Int.self) + 4 * i, as: Int32.self)
    }

    /// Entry `i` of a checked block, or an error naming the valid range.
    static func entry(_ block: UnsafeRawPointer, _ i: Int) throws(ChatbotError) -> Entry {
        let n = count(block)
        guard i >= 0, i < n else { throw ChatbotError(.invalidArgument, "match index \(i) is out of range (the result has \(n) matches)") }
        return block.load(fromByteOffset: entriesOffset + i * MemoryLayout<Entry>.stride, as: Entry.self)
    }

    static func string(_ block: UnsafeRawPointer, at offset: Int) -> UnsafePointer<CChar> {
        HandleBlock.string(block, at: offset)
    }

    static func release(_ handle: UnsafeMutableRawPointer) throws(ChatbotError) {
        try HandleBlock.release(handle, .result)
    }
}
