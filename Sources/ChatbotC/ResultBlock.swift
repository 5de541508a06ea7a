#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotEngine

/// A `cb_result` is one `malloc`ed block, so that freeing it is one `free` and reading it
/// takes no Swift runtime calls:
///
///     0   magic            UInt64
///     8   match count      Int
///     16  decision         Int32 (cb_decision)
///     20  suggestion count Int32
///     24  reply            Int (offset of the reply's JSON text)
///     32  suggestions      Int (offset of `suggestion count` Int32 match positions)
///     40  entries          count × Entry
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

    static let entriesOffset = 40

    static func make(_ result: MatchResult) throws(CallError) -> UnsafeMutableRawPointer {
        let stride = MemoryLayout<Entry>.stride
        let reply = result.replyJSON.serialized()
        let suggestionsBytes = result.suggestions.count * 4
        var size = entriesOffset + result.matches.count * stride + suggestionsBytes + reply.utf8.count + 1
        for m in result.matches {
            size += m.id.utf8.count + m.question.utf8.count + m.answer.utf8.count + m.category.utf8.count + 4
        }
        guard let block = malloc(size) else { throw CallError(.outOfMemory, "cannot allocate a result of \(size) bytes") }
        block.storeBytes(of: HandleMagic.result, as: UInt64.self)
        block.storeBytes(of: result.matches.count, toByteOffset: 8, as: Int.self)
        block.storeBytes(of: decisionCode(result.decision), toByteOffset: 16, as: Int32.self)
        block.storeBytes(of: Int32(clamping: result.suggestionCount), toByteOffset: 20, as: Int32.self)
        let suggestionsAt = entriesOffset + result.matches.count * stride
        for (k, position) in result.suggestions.enumerated() {
            block.storeBytes(of: Int32(clamping: position), toByteOffset: suggestionsAt + 4 * k, as: Int32.self)
        }
        block.storeBytes(of: suggestionsAt, toByteOffset: 32, as: Int.self)
        var cursor = suggestionsAt + suggestionsBytes
        func put(_ s: String) -> Int {
            let start = cursor
            cursor += copyUTF8(s, to: block + cursor)
            block.storeBytes(of: 0, toByteOffset: cursor, as: UInt8.self)
            cursor += 1
            return start
        }
        block.storeBytes(of: put(reply), toByteOffset: 24, as: Int.self)
        for (i, m) in result.matches.enumerated() {
            let entry = Entry(itemIndex: Int32(clamping: m.itemIndex), score: m.score,
                              id: put(m.id), question: put(m.question), answer: put(m.answer), category: put(m.category))
            (block + entriesOffset + i * stride).initializeMemory(as: Entry.self, repeating: entry, count: 1)
        }
        return block
    }

    /// The block behind a result handle, after checking its magic.
    static func checked(_ handle: UnsafeRawPointer?) throws(CallError) -> UnsafeRawPointer {
        guard let handle else { throw CallError(.invalidArgument, "result is NULL") }
        guard handle.loadUnaligned(as: UInt64.self) == HandleMagic.result else {
            throw CallError(.invalidArgument, "invalid or freed handle (expected a result)")
        }
        return handle
    }

    static func count(_ block: UnsafeRawPointer) -> Int { block.load(fromByteOffset: 8, as: Int.self) }
    static func decision(_ block: UnsafeRawPointer) -> Int32 { block.load(fromByteOffset: 16, as: Int32.self) }
    static func suggestionCount(_ block: UnsafeRawPointer) -> Int32 { block.load(fromByteOffset: 20, as: Int32.self) }
    static func reply(_ block: UnsafeRawPointer) -> UnsafePointer<CChar> { string(block, at: block.load(fromByteOffset: 24, as: Int.self)) }

    /// Position in the matches of suggestion `i`, or an error naming the valid range.
    static func suggestion(_ block: UnsafeRawPointer, _ i: Int) throws(CallError) -> Int32 {
        let n = Int(suggestionCount(block))
        guard i >= 0, i < n else { throw CallError(.invalidArgument, "suggestion index \(i) is out of range (the result has \(n) suggestions)") }
        return block.load(fromByteOffset: block.load(fromByteOffset: 32, as: Int.self) + 4 * i, as: Int32.self)
    }

    /// Entry `i` of a checked block, or an error naming the valid range.
    static func entry(_ block: UnsafeRawPointer, _ i: Int) throws(CallError) -> Entry {
        let n = count(block)
        guard i >= 0, i < n else { throw CallError(.invalidArgument, "match index \(i) is out of range (the result has \(n) matches)") }
        return block.load(fromByteOffset: entriesOffset + i * MemoryLayout<Entry>.stride, as: Entry.self)
    }

    static func string(_ block: UnsafeRawPointer, at offset: Int) -> UnsafePointer<CChar> {
        (block + offset).assumingMemoryBound(to: CChar.self)
    }

    static func release(_ handle: UnsafeMutableRawPointer) throws(CallError) {
        _ = try checked(handle)
        handle.storeBytes(of: HandleMagic.freed, as: UInt64.self)
        free(handle)
    }
}

/// `cb_decision` codes; part of the ABI.
func decisionCode(_ d: Decision) -> Int32 {
    switch d {
    case .answer: return 0
    case .suggest: return 1
    case .fallback: return 2
    }
}
