import ChatbotErrors
/// Binary form of messages and message-only items in an index (format version 4).
///
/// ```
/// messages := u32 count, message × count
/// message  := u8 kind (1 text, 2 image, 3 buttons, 4 quick replies),
///             text/image: string; buttons/quick replies: u32 n, button × n
/// button   := string title, u8 target (0 url, 1 item), string target
/// string   := u32 byte length, UTF-8 bytes
/// extra    := u32 count, (string id, string category, u32 flags, i32 expiry day, messages) × count
/// ```
/// All integers little-endian. Decoding checks every length against the bytes left, so a
/// damaged blob is an error, never an out-of-bounds read.
enum MessageCoding {
    static func encode(_ messages: [Message], into w: inout ByteWriter) {
        w.u32(UInt32(messages.count))
        for m in messages {
            switch m {
            case .text(let t): w.u8(1); w.string(t)
            case .image(let url): w.u8(2); w.string(url)
            case .buttons(let b): w.u8(3); encode(b, into: &w)
            case .quickReplies(let b): w.u8(4); encode(b, into: &w)
            }
        }
    }

    private static func encode(_ buttons: [Button], into w: inout ByteWriter) {
        w.u32(UInt32(buttons.count))
        for b in buttons {
            w.string(b.title)
            switch b.target {
            case .url(let u): w.u8(0); w.string(u)
            case .item(let id): w.u8(1); w.string(id)
            }
        }
    }

    static func decode(_ r: inout ByteReader) throws(ChatbotError) -> [Message] {
        let n = try r.count(minimumElementSize: 5)
        var out: [Message] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            switch try r.u8() {
            case 1: out.append(.text(try r.string()))
            case 2: out.append(.image(url: try r.string()))
            case 3: out.append(.buttons(try decodeButtons(&r)))
            case 4: out.append(.quickReplies(try decodeButtons(&r)))
            case let k: throw .invalidIndex("unknown message kind \(k)")
            }
        }
        return out
    }

    private static func decodeButtons(_ r: inout ByteReader) throws(ChatbotError) -> [Button] {
        let n = try r.count(minimumElementSize: 9)
        var out: [Button] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let title = try r.string()
            let kind = try r.u8()
            let target = try r.string()
            switch kind {
            case 0: out.append(Button(title: title, target: .url(target)))
            case 1: out.append(Button(title: title, target: .item(target)))
            default: throw .invalidIndex("unknown button target kind \(kind)")
            }
        }
        return out
    }

    /// Items without questions (reached by role or by button), stored apart from the
    /// matchable items so that matching never sees them.
    static func encodeExtraItems(_ items: [KnowledgeItem]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(items.count))
        for item in items {
            w.string(item.id)
            w.string(item.category)
            w.u32(item.hidden ? ItemRecord.hiddenFlag : 0)
            w.u32(UInt32(bitPattern: item.expiresAt.map { Int32(clamping: $0.daysSince1970) } ?? Int32.max))
            encode(item.effectiveMessages, into: &w)
        }
        return w.bytes
    }

    static func decodeExtraItems(_ bytes: UnsafeBufferPointer<UInt8>) throws(ChatbotError) -> [KnowledgeItem] {
        if bytes.isEmpty { return [] }
        var r = ByteReader(bytes)
        let n = try r.count(minimumElementSize: 20)
        var out: [KnowledgeItem] = []
        for _ in 0..<n {
            let id = try r.string()
            let category = try r.string()
            let flags = try r.u32()
            let expiry = Int32(bitPattern: try r.u32())
            let messages = try decode(&r)
            out.append(KnowledgeItem(id: id, category: category, questions: [], answer: "",
                                     hidden: flags & ItemRecord.hiddenFlag != 0,
                                     expiresAt: expiry == Int32.max ? nil : CalendarDate(daysSince1970: Int(expiry)),
                                     messages: messages))
        }
        guard r.isAtEnd else { throw .invalidIndex("message-only items have trailing bytes") }
        return out
    }
}

/// Appends little-endian integers and length-prefixed strings.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u32(_ v: UInt32) {
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }

    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes += s.utf8
    }
}

/// Reads what `ByteWriter` wrote, checking every length against the bytes left.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func u8() throws(ChatbotError) -> UInt8 {
        guard position < bytes.count else { throw .invalidIndex("message data is truncated") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u32() throws(ChatbotError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw .invalidIndex("message data is truncated") }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[position + k]) << (8 * k) }
        position += 4
        return v
    }

    /// A count of elements of at least `minimumElementSize` bytes each: bounded by the bytes left,
    /// so that a damaged count cannot make the caller reserve gigabytes.
    mutating func count(minimumElementSize: Int) throws(ChatbotError) -> Int {
        let n = Int(try u32())
        guard n <= (bytes.count - position) / minimumElementSize else { throw .invalidIndex("message data is truncated") }
        return n
    }

    mutating func string() throws(ChatbotError) -> String {
        let n = Int(try u32())
        guard n <= bytes.count - position else { throw .invalidIndex("message data is truncated") }
        let slice = UnsafeBufferPointer(rebasing: bytes[position..<(position + n)])
        guard let s = String(validating: slice, as: UTF8.self) else { throw .invalidIndex("message text is not valid UTF-8") }
        position += n
        return s
    }
}
