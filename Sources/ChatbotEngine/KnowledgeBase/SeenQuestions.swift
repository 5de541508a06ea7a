#if canImport(Glibc)
import Glibc
#endif

/// The normalised questions of a source read so far (`KnowledgeBaseBuilder.normalized`),
/// each with the item and line of its first occurrence, for the duplicate warnings.
///
/// One byte arena and an open-addressing table: a dictionary keyed by `[UInt8]` cost one
/// allocation per question, and as many frees, and those were a quarter of reading a
/// 100,000-row TSV file (issue 15).
struct SeenQuestions {
    private struct Entry {
        var start: Int
        var end: Int
        var item: Int
        var line: Int
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// Index into `entries` + 1; 0 is an empty slot. The count is a power of two.
    private var slots: [Int32] = [Int32](repeating: 0, count: 16)

    var count: Int { entries.count }

    /// Room for `questions` questions of about `bytes` bytes in all, without growing.
    mutating func reserveCapacity(questions: Int, bytes byteCount: Int) {
        bytes.reserveCapacity(byteCount)
        entries.reserveCapacity(questions)
        var capacity = slots.count
        while capacity < 2 * questions { capacity *= 2 }
        if capacity > slots.count { rehash(capacity) }
    }

    /// Records the question that `normalize` appends to the arena, unless it was seen
    /// before: then returns the item and line of its first occurrence.
    mutating func insert(item: Int, line: Int, normalize: (inout [UInt8]) -> Void) -> (item: Int, line: Int)? {
        let start = bytes.count
        normalize(&bytes)
        let end = bytes.count
        let hash = bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let e = entries[Int(slots[slot]) - 1]
            if Self.equal(bytes, e.start..<e.end, start..<end) {
                bytes.removeSubrange(start..<end)
                return (e.item, e.line)
            }
            slot = (slot + 1) & mask
        }
        entries.append(Entry(start: start, end: end, item: item, line: line))
        slots[slot] = Int32(entries.count)
        if 2 * entries.count > slots.count { rehash(2 * slots.count) }
        return nil
    }

    private mutating func rehash(_ capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        bytes.withUnsafeBufferPointer { arena in
            for (i, e) in entries.enumerated() {
                var slot = Self.hash(UnsafeBufferPointer(rebasing: arena[e.start..<e.end])) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(i + 1)
            }
        }
    }

    private static func equal(_ bytes: [UInt8], _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        return bytes.withUnsafeBufferPointer { p in
            a.count == 0 || memcmp(p.baseAddress! + a.lowerBound, p.baseAddress! + b.lowerBound, a.count) == 0
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }
}
