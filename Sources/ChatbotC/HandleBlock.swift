import ChatbotErrors
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The layout shared by the blocks handed to C (results, diagnostics): one `malloc`ed block
/// of fixed fields and entries, then NUL-terminated strings referenced by byte offsets from
/// the block start. Freeing is one `free`, and reading takes no Swift runtime call. The
/// block is a handle once `finish` has added it to the `HandleRegistry`.
struct HandleBlock {
    let base: UnsafeMutableRawPointer
    /// Where the next string goes.
    private var cursor: Int

    /// The room a string takes in a block, terminator included.
    static func room(_ s: String) -> Int { s.utf8.count + 1 }

    /// Allocates `fixedSize` bytes of fields and entries plus `stringRoom` bytes of strings
    /// (the sum of `room` over the strings to `put`).
    init(fixedSize: Int, stringRoom: Int, what: String) throws(ChatbotError) {
        let size = fixedSize + stringRoom
        guard let block = malloc(size) else { throw ChatbotError(.outOfMemory, "cannot allocate \(what) of \(size) bytes") }
        base = block
        cursor = fixedSize
    }

    /// Copies `s` with its terminator after the previous string; returns its offset.
    mutating func put(_ s: String) -> Int {
        let start = cursor
        cursor += copyUTF8(s, to: base + cursor)
        base.storeBytes(of: 0, toByteOffset: cursor, as: UInt8.self)
        cursor += 1
        return start
    }

    /// Copies UTF-8 `bytes` with a terminator after the previous string; returns its offset.
    mutating func put(bytes: [UInt8]) -> Int {
        let start = cursor
        bytes.withUnsafeBytes { if let b = $0.baseAddress { (base + cursor).copyMemory(from: b, byteCount: $0.count) } }
        cursor += bytes.count
        base.storeBytes(of: 0, toByteOffset: cursor, as: UInt8.self)
        cursor += 1
        return start
    }

    /// Registers the written block as a live handle of `kind` and returns it; on failure the
    /// block is freed.
    func finish(_ kind: HandleKind) throws(ChatbotError) -> UnsafeMutableRawPointer {
        do { try HandleRegistry.add(base, kind) } catch {
            free(base)
            throw error
        }
        return base
    }

    static func string(_ block: UnsafeRawPointer, at offset: Int) -> UnsafePointer<CChar> {
        (block + offset).assumingMemoryBound(to: CChar.self)
    }

    /// Releases a live block of `kind`: removed from the registry first, so that a second
    /// free is refused without reading the freed memory.
    static func release(_ handle: UnsafeMutableRawPointer, _ kind: HandleKind) throws(ChatbotError) {
        try HandleRegistry.unregister(handle, kind)
        free(handle)
    }
}
