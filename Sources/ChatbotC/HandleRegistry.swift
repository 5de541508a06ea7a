import ChatbotErrors
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a pointer handed to C is.
enum HandleKind: UInt8 {
    case engine = 1, result, string, diagnostics, anonymizer, log

    /// For messages: "expected a result".
    var article: String {
        switch self {
        case .engine: "an engine"
        case .result: "a result"
        case .string: "a string"
        case .diagnostics: "diagnostics"
        case .anonymizer: "an anonymizer"
        case .log: "a question log"
        }
    }
}

/// The process-wide registry of live handles: every pointer the library hands to C
/// (engines, results, diagnostics, anonymisers, logs, owned strings) is added when it is
/// made and removed, under the lock, before its memory is released. Every call looks its
/// handle up here before touching it, so a foreign pointer, a handle of the wrong kind, a
/// use after free and a double free are all reported as CB_ERR_INVALID_ARGUMENT without
/// reading the memory the pointer names.
///
/// Design: 16 shards chosen by a hash of the address, each a `pthread_rwlock_t` (writer
/// preferring: lookups never nest, so a waiting writer cannot deadlock them, and cannot be
/// starved by a stream of lookups) and an open-addressing table of (address, kind) with
/// linear probing and backward-shift deletion. Lookups take the read lock, so threads
/// sharing one engine never wait for each other; making and freeing results (the frequent
/// writes) spread over the shards. Each shard sits on its own 128-byte line, so that threads
/// working on different shards do not share cache lines. A table doubles when half full
/// and never shrinks: 16 bytes a slot, sized by the peak number of live handles.
///
/// Limit: an address is only a number. Once a handle is freed, `malloc` may give the same
/// address to a new handle; a stale pointer then names that new handle (of the same kind:
/// a different kind is still refused). Using a freed handle stays a bug in the caller;
/// the registry turns it into an error in every case it can tell, and never into a read
/// of freed memory.
enum HandleRegistry {
    struct Slot {
        /// `encode(address)`; 0: empty.
        var key: UInt
        var kind: UInt
    }

    struct Table {
        var slots: UnsafeMutablePointer<Slot>?
        /// Capacity - 1 (capacity is a power of two); 0 while `slots` is nil.
        var mask: Int
        var count: Int
    }

    static let shardBits = 4
    static let shardCount = 1 << shardBits
    static let shardStride = 128
    static let tableOffset = 64
    static let initialCapacity = 64

    /// `shardCount` shards of `shardStride` bytes: the lock at offset 0, the table at
    /// `tableOffset`. nil only if those 2 KB could not be allocated at first use; every
    /// registration then fails with CB_ERR_OUT_OF_MEMORY (and no lookup succeeds).
    /// `nonisolated(unsafe)`: the pointer is written once, by the global's initialiser, and
    /// each shard's table is only touched under the shard's lock.
    nonisolated(unsafe) private static let shards: UnsafeMutableRawPointer? = {
        precondition(MemoryLayout<pthread_rwlock_t>.size <= tableOffset
            && tableOffset + MemoryLayout<Table>.size <= shardStride)
        var raw: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&raw, shardStride, shardCount * shardStride) == 0, let raw else { return nil }
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        for i in 0..<shardCount {
            let shard = raw + i * shardStride
            guard pthread_rwlock_init(shard.bindMemory(to: pthread_rwlock_t.self, capacity: 1), &attributes) == 0 else {
                return nil
            }
            (shard + tableOffset).initializeMemory(as: Table.self, repeating: Table(slots: nil, mask: 0, count: 0), count: 1)
        }
        pthread_rwlockattr_destroy(&attributes)
        return raw
    }()

    /// What the table stores for an address: its complement, which is never a user-space
    /// address. Leak checkers (LeakSanitizer, valgrind) scan memory for pointers: with the
    /// plain address, the registry would keep every leaked handle "reachable" and hide it.
    /// 0 (the empty slot) only for the all-ones pointer, which no lookup matches.
    @inline(__always)
    static func encode(_ pointer: UnsafeRawPointer) -> UInt { ~UInt(bitPattern: pointer) }

    /// A 64-bit finaliser (MurmurHash3's): the low bits pick the shard, the next ones the slot.
    @inline(__always)
    static func hash(_ key: UInt) -> UInt {
        var h = UInt64(key)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return UInt(h)
    }

    @inline(__always)
    static func home(_ h: UInt, _ mask: Int) -> Int { Int(truncatingIfNeeded: h >> UInt(shardBits)) & mask }

    /// The shard of hash `h`: its lock, then (at `tableOffset`) its table.
    @inline(__always)
    private static func shard(_ h: UInt) -> UnsafeMutableRawPointer? {
        guard let shards else { return nil }
        return shards + Int(truncatingIfNeeded: h & UInt(shardCount - 1)) * shardStride
    }

    @inline(__always)
    private static func lock(_ shard: UnsafeMutableRawPointer) -> UnsafeMutablePointer<pthread_rwlock_t> {
        shard.assumingMemoryBound(to: pthread_rwlock_t.self)
    }

    @inline(__always)
    private static func table(_ shard: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Table> {
        (shard + tableOffset).assumingMemoryBound(to: Table.self)
    }

    /// Where `key` is in `table`, or nil.
    @inline(__always)
    private static func find(_ key: UInt, _ h: UInt, in table: Table) -> Int? {
        guard key != 0, let slots = table.slots else { return nil }
        var i = home(h, table.mask)
        while true {
            let k = slots[i].key
            if k == key { return i }
            if k == 0 { return nil }
            i = (i + 1) & table.mask
        }
    }

    /// The kind of the live handle at `pointer`, or nil if it is not one.
    static func kind(of pointer: UnsafeRawPointer) -> HandleKind? {
        let key = encode(pointer)
        let h = hash(key)
        guard let shard = shard(h) else { return nil }
        pthread_rwlock_rdlock(lock(shard))
        defer { pthread_rwlock_unlock(lock(shard)) }
        let t = table(shard).pointee
        guard let i = find(key, h, in: t) else { return nil }
        return HandleKind(rawValue: UInt8(truncatingIfNeeded: t.slots![i].kind))
    }

    /// Adds a live handle. Throws CB_ERR_OUT_OF_MEMORY if the table cannot grow; the caller
    /// then releases what it made.
    static func add(_ pointer: UnsafeRawPointer, _ kind: HandleKind) throws(ChatbotError) {
        let key = encode(pointer)
        let h = hash(key)
        guard key != 0 else { throw ChatbotError(.internal, "cannot register the all-ones address as a handle") }
        guard let shard = shard(h) else { throw ChatbotError(.outOfMemory, "cannot allocate the handle registry") }
        pthread_rwlock_wrlock(lock(shard))
        defer { pthread_rwlock_unlock(lock(shard)) }
        let table = table(shard)
        if let i = find(key, h, in: table.pointee) {
            // Only if the host released a handle with free() instead of its cb_*_free.
            table.pointee.slots![i].kind = UInt(kind.rawValue)
            return
        }
        if table.pointee.slots == nil || (table.pointee.count + 1) * 2 > table.pointee.mask + 1 {
            try grow(table)
        }
        let slots = table.pointee.slots!, mask = table.pointee.mask
        var i = home(h, mask)
        while slots[i].key != 0 { i = (i + 1) & mask }
        slots[i] = Slot(key: key, kind: UInt(kind.rawValue))
        table.pointee.count += 1
    }

    /// Doubles a table (or makes its first one), rehashing its entries.
    private static func grow(_ table: UnsafeMutablePointer<Table>) throws(ChatbotError) {
        let old = table.pointee
        let capacity = old.slots == nil ? initialCapacity : (old.mask + 1) * 2
        guard let raw = calloc(capacity, MemoryLayout<Slot>.stride) else {
            throw ChatbotError(.outOfMemory, "cannot grow the handle registry to \(capacity) entries")
        }
        let slots = raw.bindMemory(to: Slot.self, capacity: capacity)
        let mask = capacity - 1
        if let oldSlots = old.slots {
            for j in 0...old.mask where oldSlots[j].key != 0 {
                var i = home(hash(oldSlots[j].key), mask)
                while slots[i].key != 0 { i = (i + 1) & mask }
                slots[i] = oldSlots[j]
            }
            free(oldSlots)
        }
        table.pointee = Table(slots: slots, mask: mask, count: old.count)
    }

    /// What `remove` did.
    enum Removal: Equatable {
        case removed
        /// Not a live handle.
        case unknown
        /// A live handle of another kind, left in place.
        case otherKind(HandleKind)
    }

    /// Removes `pointer` if it is a live handle of `kind`; otherwise changes nothing.
    static func remove(_ pointer: UnsafeRawPointer, _ kind: HandleKind) -> Removal {
        let key = encode(pointer)
        let h = hash(key)
        guard let shard = shard(h) else { return .unknown }
        pthread_rwlock_wrlock(lock(shard))
        defer { pthread_rwlock_unlock(lock(shard)) }
        let table = table(shard)
        guard let i = find(key, h, in: table.pointee) else { return .unknown }
        let slots = table.pointee.slots!, mask = table.pointee.mask
        guard let found = HandleKind(rawValue: UInt8(truncatingIfNeeded: slots[i].kind)), found == kind else {
            return .otherKind(HandleKind(rawValue: UInt8(truncatingIfNeeded: slots[i].kind)) ?? kind)
        }
        // Backward-shift deletion: pull each later entry of the probe run into the hole
        // unless its home lies cyclically after the hole, so lookups need no tombstones.
        var hole = i
        var j = (i + 1) & mask
        while slots[j].key != 0 {
            let ideal = home(hash(slots[j].key), mask)
            if (j - ideal) & mask >= (j - hole) & mask {
                slots[hole] = slots[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        slots[hole] = Slot(key: 0, kind: 0)
        table.pointee.count -= 1
        return .removed
    }

    /// The message for a pointer that is not a live handle of `kind`.
    static func invalid(_ kind: HandleKind, found: HandleKind?) -> ChatbotError {
        if kind == .string {
            return ChatbotError(.invalidArgument, "invalid or freed string (not returned by libchatbot, or already freed)")
        }
        if let found {
            return ChatbotError(.invalidArgument, "invalid or freed handle (expected \(kind.article), got \(found.article))")
        }
        return ChatbotError(.invalidArgument, "invalid or freed handle (expected \(kind.article))")
    }

    /// `handle`, if it is a live handle of `kind`; otherwise the error naming the problem
    /// (`name` is the parameter, for NULL).
    @inline(__always)
    static func checked(_ handle: UnsafeRawPointer?, _ kind: HandleKind, name: StaticString) throws(ChatbotError) -> UnsafeRawPointer {
        guard let handle else { throw ChatbotError(.invalidArgument, "\(name) is NULL") }
        let found = self.kind(of: handle)
        guard found == kind else { throw invalid(kind, found: found) }
        return handle
    }

    /// Removes a live handle of `kind` before the caller releases it, or throws (and the
    /// caller must not touch the pointer).
    static func unregister(_ handle: UnsafeRawPointer, _ kind: HandleKind) throws(ChatbotError) {
        switch remove(handle, kind) {
        case .removed: return
        case .unknown: throw invalid(kind, found: nil)
        case .otherKind(let found): throw invalid(kind, found: found)
        }
    }
}
