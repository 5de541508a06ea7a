#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import ChatbotEngine
import Synchronization

/// Handles that are a retained Swift object (engines, anonymisers, logs): the pointer handed
/// to C is the object itself, registered in the `HandleRegistry` while it is live.
enum ObjectHandle {
    /// Retains `object` and registers it as a live handle of `kind`.
    static func make<T: AnyObject>(_ object: T, _ kind: HandleKind) throws(ChatbotError) -> UnsafeMutableRawPointer {
        let p = Unmanaged.passRetained(object).toOpaque()
        do { try HandleRegistry.add(p, kind) } catch {
            Unmanaged<T>.fromOpaque(p).release()
            throw error
        }
        return p
    }

    /// Runs `body` with the object behind a live handle of `kind`, without retaining it: the
    /// handle keeps it alive for the call (freeing a handle must not race with its use), and
    /// skipping the atomic reference count keeps threads that share it from contending on
    /// its cache line.
    @inline(__always)
    static func with<T: AnyObject, R>(_ handle: UnsafeRawPointer?, _ kind: HandleKind, name: StaticString, as type: T.Type,
                                      _ body: (T) throws(ChatbotError) -> R) throws(ChatbotError) -> R {
        let p = try HandleRegistry.checked(handle, kind, name: name)
        // `_withUnsafeGuaranteedRef` rethrows untyped errors: carry the typed one through a Result.
        return try Unmanaged<T>.fromOpaque(p)._withUnsafeGuaranteedRef { object in
            Result { () throws(ChatbotError) in try body(object) }
        }.get()
    }

    /// Unregisters a live handle of `kind`, then releases its object; throws (touching
    /// nothing) if `handle` is not one.
    static func release<T: AnyObject>(_ handle: UnsafeMutableRawPointer, _ kind: HandleKind, as type: T.Type) throws(ChatbotError) {
        try HandleRegistry.unregister(handle, kind)
        Unmanaged<T>.fromOpaque(handle).release()
    }
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

    init(_ engine: Engine) throws(ChatbotError) {
        self.engine = engine
        let ids = (0..<engine.itemCount).map(engine.itemID)
        let total = ids.reduce(0) { $0 + $1.utf8.count + 1 }
        guard let raw = malloc(max(total, 1)) else { throw ChatbotError(.outOfMemory, "cannot allocate the item id table") }
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

    func with<R>(_ body: (EngineBox) throws(ChatbotError) -> R) throws(ChatbotError) -> R {
        let parity = generation.load(ordering: .sequentiallyConsistent) & 1
        enter(parity)
        defer { leave(parity) }
        let box = current.load(ordering: .sequentiallyConsistent)
        // The slot keeps the box alive until every reader of its generation has left.
        return try Unmanaged<EngineBox>.fromOpaque(box)._withUnsafeGuaranteedRef { box in
            Result { () throws(ChatbotError) in try body(box) }
        }.get()
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

/// Engine handles: the retained `EngineSlot` itself.
enum EngineHandle {
    static func make(_ engine: Engine) throws(ChatbotError) -> UnsafeMutableRawPointer {
        try ObjectHandle.make(EngineSlot(try EngineBox(engine)), .engine)
    }

    @inline(__always)
    static func checked(_ handle: UnsafeRawPointer?) throws(ChatbotError) -> UnsafeRawPointer {
        try HandleRegistry.checked(handle, .engine, name: "engine")
    }

    /// Runs `body` with the engine behind `handle`, without retaining it (see `ObjectHandle.with`).
    static func with<R>(_ handle: UnsafeRawPointer?, _ body: (EngineBox) throws(ChatbotError) -> R) throws(ChatbotError) -> R {
        try ObjectHandle.with(handle, .engine, name: "engine", as: EngineSlot.self) { (slot) throws(ChatbotError) in try slot.with(body) }
    }

    /// Replaces the engine behind `handle`; returns once calls that started before have finished.
    static func reload(_ handle: UnsafeRawPointer?, with engine: Engine) throws(ChatbotError) {
        let box = try EngineBox(engine)
        try ObjectHandle.with(handle, .engine, name: "engine", as: EngineSlot.self) { $0.replace(with: box) }
    }

    static func release(_ handle: UnsafeMutableRawPointer) throws(ChatbotError) {
        try ObjectHandle.release(handle, .engine, as: EngineSlot.self)
    }
}
