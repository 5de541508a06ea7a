#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The layout shared by the blocks handed to C (results, diagnostics): one `malloc`ed block
/// starting with a magic number, then fixed fields and entries, then NUL-terminated strings
/// referenced by byte offsets from the block start. Freeing is one `free`, and reading takes
/// no Swift runtime call.
struct HandleBlock {
    let base: UnsafeMutableRawPointer
    /// Where the next string goes.
    private var cursor: Int

    /// The room a string takes in a block, terminator included.
    static func room(_ s: String) -> Int { s.utf8.count + 1 }

    /// Allocates `fixedSize` bytes of fields and entries plus `stringRoom` bytes of strings
    /// (the sum of `room` over the strings to `put`), and writes the magic number.
    init(magic: UInt64, fixedSize: Int, stringRoom: Int, what: String) throws(CallError) {
        let size = fixedSize + stringRoom
        guard let block = malloc(size) else { throw CallError(.outOfMemory, "cannot allocate \(what) of \(size) bytes") }
        block.storeBytes(of: magic, as: UInt64.self)
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

    /// The block behind a handle, after checking its magic number.
    static func checked(_ handle: UnsafeRawPointer?, magic: UInt64, name: String, expected: String) throws(CallError) -> UnsafeRawPointer {
        guard let handle else { throw CallError(.invalidArgument, "\(name) is NULL") }
        guard handle.loadUnaligned(as: UInt64.self) == magic else {
            throw CallError(.invalidArgument, "invalid or freed handle (expected \(expected))")
        }
        return handle
    }

    static func string(_ block: UnsafeRawPointer, at offset: Int) -> UnsafePointer<CChar> {
        (block + offset).assumingMemoryBound(to: CChar.self)
    }

    /// Marks the block freed (so that a second free is detected while the memory is not
    /// reused) and releases it.
    static func release(_ handle: UnsafeMutableRawPointer) {
        handle.storeBytes(of: HandleMagic.freed, as: UInt64.self)
        free(handle)
    }
}
