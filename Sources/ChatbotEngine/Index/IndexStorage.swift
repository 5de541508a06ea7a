import ChatbotErrors
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Bytes of an index file, for as long as views into them exist: a private, 64-byte-aligned
/// copy (`IndexLoading.copy`, the default) or a read-only memory map (`IndexLoading.map`).
///
/// Why a copy by default: a shared or private map still shows the pages of the file as it
/// is *now*. `cp new old` rewrites the open file in place (the engine would mix two
/// indexes, or loop in a probe whose invariants changed), and truncating it turns every
/// later read into SIGBUS. A copy taken with `read` cannot change and cannot fault; the
/// checksum over the copy then proves it is one whole file. The cost is one pass over the
/// file at open (the checksum pass touches every byte anyway) and the file's size in
/// private memory per open engine (see the README's "Deployment").
///
/// A map costs neither: opening touches only the pages it validates, and every process
/// that maps the file shares one copy in the page cache. It is safe for files that are
/// only ever replaced by renaming a complete file over them, as `chatbot-cli build` and
/// `cb_engine_save` do; the host chooses it, knowing that rule.
final class IndexStorage: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// Whether `bytes` is a memory map (released with `munmap`) rather than an allocation.
    let isMapped: Bool

    private init(bytes: UnsafeRawBufferPointer, isMapped: Bool = false) {
        self.bytes = bytes
        self.isMapped = isMapped
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// Aligned memory for `count` bytes, or `.outOfMemory` when the system refuses it
    /// (a size read from a file must not abort the host).
    private static func allocate(_ count: Int, what: String) throws(ChatbotError) -> UnsafeMutableRawPointer {
        var p: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&p, IndexFormat.alignment, max(count, 1)) == 0, let p else {
            throw .outOfMemory("cannot allocate \(count) bytes for \(what)")
        }
        return p
    }

    /// `count` bytes of memory aligned for in-place typed access, every one written by `fill`.
    static func filling(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(ChatbotError) -> IndexStorage {
        let p = try allocate(count, what: "the index")
        fill(UnsafeMutableRawBufferPointer(start: p, count: count))
        return IndexStorage(bytes: UnsafeRawBufferPointer(start: p, count: count))
    }

    /// The pages of a new index file, filled and sealed (`IndexWriter.serializedFile`); the
    /// storage unmaps them, `file` still publishes the file.
    static func mapped(_ file: MappedOutputFile) -> IndexStorage {
        IndexStorage(bytes: file.takeMapping(), isMapped: true)
    }

    /// Copies `source` into memory aligned for in-place typed access.
    static func copying(_ source: UnsafeRawBufferPointer) throws(ChatbotError) -> IndexStorage {
        let p = try allocate(source.count, what: "the index")
        if let base = source.baseAddress, source.count > 0 { p.copyMemory(from: base, byteCount: source.count) }
        return IndexStorage(bytes: UnsafeRawBufferPointer(start: p, count: source.count))
    }

    /// How many times `reading` starts again when the file changes while it is read.
    static let readAttempts = 3

    /// Reads the regular file at `path` into a private copy.
    ///
    /// A writer replacing the file in place while it is read (`cp`, `truncate`) shows as a
    /// short read or a changed size or modification time; the read then starts again, up
    /// to `readAttempts` times. A copy torn in a way these checks miss still fails the
    /// checksum, so the engine never opens a mixture.
    static func reading(path: String) throws(ChatbotError) -> IndexStorage {
        let fd = try openIndexFile(path)
        defer { try? fd.close() }
        for _ in 0..<readAttempts {
            let before = try status(of: fd, path)
            let size = Int(before.size)
            let p = try allocate(size, what: "index '\(path)'")
            var done = 0
            while done < size {
                let n: Int
                do {
                    n = try fd.read(fromAbsoluteOffset: Int64(done), into: UnsafeMutableRawBufferPointer(start: p + done, count: size - done))
                } catch {
                    p.deallocate()
                    let code = (error as? Errno)?.rawValue ?? EIO
                    throw .io("cannot read index '\(path)': \(String(cString: strerror(code)))")
                }
                if n == 0 { break } // the file shrank under us
                done += n
            }
            let after = try? fd.stat()
            let unchanged = done == size && after?.size == before.size
                && after?.st_mtim.tv_sec == before.st_mtim.tv_sec && after?.st_mtim.tv_nsec == before.st_mtim.tv_nsec
            if unchanged { return IndexStorage(bytes: UnsafeRawBufferPointer(start: p, count: size)) }
            p.deallocate()
        }
        throw .io("index '\(path)' kept changing while it was read (\(readAttempts) attempts): replace an index by renaming a complete file over it, never by writing into it")
    }

    /// Maps the regular file at `path` read-only (`MAP_PRIVATE`). Nothing is read here: the
    /// pages come in as they are touched. A file under the 64-byte header is read instead,
    /// so that validation reports it as truncated (a map cannot be empty).
    static func mapping(path: String) throws(ChatbotError) -> IndexStorage {
        let fd = try openIndexFile(path)
        defer { try? fd.close() }
        let size = Int(try status(of: fd, path).size)
        guard size >= IndexFormat.headerSize else { return try reading(path: path) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd.rawValue, 0), p != MAP_FAILED else {
            let code = errno
            // No room in the address space for a file this large: ENOMEM, or EINVAL where the
            // length exceeds what the system (or valgrind) will map; the arguments are
            // otherwise valid by construction.
            if code == ENOMEM || code == EINVAL || code == EOVERFLOW {
                throw .outOfMemory("cannot map \(size) bytes of index '\(path)': \(String(cString: strerror(code)))")
            }
            throw .io("cannot map index '\(path)': \(String(cString: strerror(code)))")
        }
        return IndexStorage(bytes: UnsafeRawBufferPointer(start: p, count: size), isMapped: true)
    }

    private static func status(of fd: FileDescriptor, _ path: String) throws(ChatbotError) -> Stat {
        do { return try fd.stat() } catch { throw .io("cannot stat '\(path)': \(String(cString: strerror(error.rawValue)))") }
    }

    private static func openIndexFile(_ path: String) throws(ChatbotError) -> FileDescriptor {
        try openRegularFile(path) { path, problem in
            let reason = switch problem {
            case .notFound: String(cString: strerror(ENOENT))
            case .isDirectory: String(cString: strerror(EISDIR))
            case .permissionDenied: String(cString: strerror(EACCES))
            case .notRegularFile: "not a regular file (a pipe, socket or device)"
            case .tooLarge(let bytes, let limit): "\(bytes) bytes, over the \(limit)-byte limit"
            case .system(_, let code): String(cString: strerror(code))
            }
            return .io("cannot open index '\(path)': \(reason)")
        }
    }
}
