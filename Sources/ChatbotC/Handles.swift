#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotEngine

/// Magic numbers at the start of every block handed to C. A call checks the magic before
/// touching anything else, so that a foreign pointer, a handle of the wrong type or (while
/// the freed memory is not reused) a double free is reported instead of crashing.
enum HandleMagic {
    static let engine: UInt64 = 0x454E_4947_4E45_4243 // "CBENGINE" in memory order
    static let result: UInt64 = 0x544C_5553_4552_4243 // "CBRESULT"
    static let string: UInt64 = 0x474E_4952_5453_4243 // "CBSTRING"
    static let diagnostics: UInt64 = 0x5347_4149_4447_4243 // "CBDGAIGS"
    /// Written over the magic on free.
    static let freed: UInt64 = 0xDEAD_DEAD_DEAD_DEAD
}

/// What an engine handle points to: the Swift engine and the item ids as C strings
/// (built once at open, so that `cb_engine_item_id` can hand out pointers owned by the engine).
///
/// `@unchecked Sendable`: the id table is written only in `init` and read-only afterwards.
final class EngineBox: @unchecked Sendable {
    let engine: Engine
    /// All ids, each NUL-terminated, back to back; `idOffsets[i]` is where id i starts.
    private let idBytes: UnsafeMutablePointer<CChar>
    private let idOffsets: [Int]

    init(_ engine: Engine) throws(CallError) {
        self.engine = engine
        let ids = (0..<engine.itemCount).map(engine.itemID)
        let total = ids.reduce(0) { $0 + $1.utf8.count + 1 }
        guard let raw = malloc(max(total, 1)) else { throw CallError(.outOfMemory, "cannot allocate the item id table") }
        var offsets: [Int] = []
        offsets.reserveCapacity(ids.count)
        var cursor = 0
        for id in ids {
            offsets.append(cursor)
            cursor += copyUTF8(id, to: raw + cursor)
            raw.storeBytes(of: 0, toByteOffset: cursor, as: UInt8.self)
            cursor += 1
        }
        idBytes = raw.assumingMemoryBound(to: CChar.self)
        idOffsets = offsets
    }

    deinit { free(idBytes) }

    func itemID(_ index: Int) -> UnsafePointer<CChar> { UnsafePointer(idBytes + idOffsets[index]) }
}

/// Engine handles: a `malloc`ed pair (magic, retained `EngineBox`).
enum EngineHandle {
    static func make(_ engine: Engine) throws(CallError) -> UnsafeMutableRawPointer {
        let box = try EngineBox(engine)
        guard let h = malloc(16) else { throw CallError(.outOfMemory, "cannot allocate an engine handle") }
        h.storeBytes(of: HandleMagic.engine, as: UInt64.self)
        h.storeBytes(of: Unmanaged.passRetained(box).toOpaque(), toByteOffset: 8, as: UnsafeMutableRawPointer.self)
        return h
    }

    /// Runs `body` with the engine behind `handle`, without retaining it: the caller's
    /// handle keeps it alive, and skipping the atomic reference count keeps threads that
    /// share an engine from contending on its cache line.
    static func with<R>(_ handle: UnsafeRawPointer?, _ body: (EngineBox) throws -> R) throws -> R {
        guard let handle else { throw CallError(.invalidArgument, "engine is NULL") }
        guard handle.loadUnaligned(as: UInt64.self) == HandleMagic.engine else {
            throw CallError(.invalidArgument, "invalid or freed handle (expected an engine)")
        }
        let box = handle.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        return try Unmanaged<EngineBox>.fromOpaque(box)._withUnsafeGuaranteedRef(body)
    }

    static func release(_ handle: UnsafeMutableRawPointer) throws(CallError) {
        guard handle.loadUnaligned(as: UInt64.self) == HandleMagic.engine else {
            throw CallError(.invalidArgument, "invalid or freed handle (expected an engine)")
        }
        let box = handle.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        handle.storeBytes(of: HandleMagic.freed, as: UInt64.self)
        free(handle)
        Unmanaged<EngineBox>.fromOpaque(box).release()
    }
}
