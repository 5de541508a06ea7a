#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotEngine
import Synchronization

/// Magic numbers at the start of every block handed to C. A call checks the magic before
/// touching anything else, so that a foreign pointer, a handle of the wrong type or (while
/// the freed memory is not reused) a double free is reported instead of crashing.
enum HandleMagic {
    static let engine: UInt64 = 0x454E_4947_4E45_4243 // "CBENGINE" in memory order
    static let result: UInt64 = 0x544C_5553_4552_4243 // "CBRESULT"
    static let string: UInt64 = 0x474E_4952_5453_4243 // "CBSTRING"
    static let diagnostics: UInt64 = 0x5347_4149_4447_4243 // "CBDGAIGS"
    static let anonymizer: UInt64 = 0x4D59_4E4F_4E41_4243 // "CBANONYM"
    static let log: UInt64 = 0x474F_4C4E_4F49_4243 // "CBIONLOG"
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

/// The engine behind a handle, replaceable while other threads use it (`cb_engine_reload`).
///
/// Readers never block and never touch the box's reference count: a call registers in the
/// reader counter of the current generation, reads the box pointer, runs, and leaves. A
/// reload swaps the pointer, starts a new generation, waits until the previous
/// generation's counter drains — the calls that may still hold the old box — and only then
/// releases it. Any reader that registers late in an old generation reads the pointer after
/// the swap, so it gets the new box. Reloads are serialised by a mutex only they take.
/// `@unchecked Sendable`: the pointer is only read and swapped atomically, and the box it names is
/// immutable and released only after its readers have left (see above).
final class EngineSlot: @unchecked Sendable {
    private let current: Atomic<UnsafeMutableRawPointer>
    private let generation = Atomic<Int>(0)
    private let evenReaders = Atomic<Int>(0)
    private let oddReaders = Atomic<Int>(0)
    private let reloading = Mutex<Void>(())

    init(_ box: EngineBox) {
        current = Atomic(Unmanaged.passRetained(box).toOpaque())
    }

    deinit {
        Unmanaged<EngineBox>.fromOpaque(current.load(ordering: .sequentiallyConsistent)).release()
    }

    private func enter(_ parity: Int) {
        if parity == 0 { evenReaders.add(1, ordering: .sequentiallyConsistent) } else { oddReaders.add(1, ordering: .sequentiallyConsistent) }
    }

    private func leave(_ parity: Int) {
        if parity == 0 { evenReaders.subtract(1, ordering: .sequentiallyConsistent) } else { oddReaders.subtract(1, ordering: .sequentiallyConsistent) }
    }

    private func count(_ parity: Int) -> Int {
        parity == 0 ? evenReaders.load(ordering: .sequentiallyConsistent) : oddReaders.load(ordering: .sequentiallyConsistent)
    }

    func with<R>(_ body: (EngineBox) throws -> R) rethrows -> R {
        let parity = generation.load(ordering: .sequentiallyConsistent) & 1
        enter(parity)
        defer { leave(parity) }
        let box = current.load(ordering: .sequentiallyConsistent)
        // The slot keeps the box alive until every reader of its generation has left.
        return try Unmanaged<EngineBox>.fromOpaque(box)._withUnsafeGuaranteedRef(body)
    }

    /// Installs `box`; returns once no call can still be using the previous one, which is then released.
    func replace(with box: EngineBox) {
        reloading.withLock { _ in
            let old = current.exchange(Unmanaged.passRetained(box).toOpaque(), ordering: .sequentiallyConsistent)
            let previous = generation.add(1, ordering: .sequentiallyConsistent).oldValue & 1
            // Yield a few times, then sleep: a sleeping writer cannot starve the readers it
            // waits for, even under a scheduler that lets a yielding thread run again at once
            // (valgrind serialises threads that way).
            var spins = 0
            while count(previous) != 0 {
                if spins < 64 { sched_yield() } else { usleep(50) }
                spins += 1
            }
            Unmanaged<EngineBox>.fromOpaque(old).release()
        }
    }
}

/// Engine handles: a `malloc`ed pair (magic, retained `EngineSlot`).
enum EngineHandle {
    static func make(_ engine: Engine) throws(CallError) -> UnsafeMutableRawPointer {
        let slot = EngineSlot(try EngineBox(engine))
        guard let h = malloc(16) else { throw CallError(.outOfMemory, "cannot allocate an engine handle") }
        h.storeBytes(of: HandleMagic.engine, as: UInt64.self)
        h.storeBytes(of: Unmanaged.passRetained(slot).toOpaque(), toByteOffset: 8, as: UnsafeMutableRawPointer.self)
        return h
    }

    static func checked(_ handle: UnsafeRawPointer?) throws(CallError) -> UnsafeRawPointer {
        guard let handle else { throw CallError(.invalidArgument, "engine is NULL") }
        guard handle.loadUnaligned(as: UInt64.self) == HandleMagic.engine else {
            throw CallError(.invalidArgument, "invalid or freed handle (expected an engine)")
        }
        return handle
    }

    /// Runs `body` with the engine behind `handle`, without retaining it: the slot keeps it
    /// alive for the call, and skipping the atomic reference count keeps threads that share
    /// an engine from contending on its cache line.
    static func with<R>(_ handle: UnsafeRawPointer?, _ body: (EngineBox) throws -> R) throws -> R {
        let slot = try checked(handle).load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        return try Unmanaged<EngineSlot>.fromOpaque(slot)._withUnsafeGuaranteedRef { try $0.with(body) }
    }

    /// Replaces the engine behind `handle`; returns once calls that started before have finished.
    static func reload(_ handle: UnsafeRawPointer?, with engine: Engine) throws {
        let slot = try checked(handle).load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        let box = try EngineBox(engine)
        Unmanaged<EngineSlot>.fromOpaque(slot)._withUnsafeGuaranteedRef { $0.replace(with: box) }
    }

    static func release(_ handle: UnsafeMutableRawPointer) throws(CallError) {
        _ = try checked(handle)
        let slot = handle.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        handle.storeBytes(of: HandleMagic.freed, as: UInt64.self)
        free(handle)
        Unmanaged<EngineSlot>.fromOpaque(slot).release()
    }
}
