import ChatbotErrors
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Bytes of an index file, held in a private, 64-byte-aligned copy for as long as views
/// into them exist.
///
/// Why a copy rather than a memory map: a shared or private map still shows the pages of
/// the file as it is *now*. `cp new old` rewrites the open file in place (the engine would
/// mix two indexes, or loop in a probe whose invariants changed), and truncating it turns
/// every later read into SIGBUS. A copy taken with `read` cannot change and cannot fault;
/// the checksum over the copy then proves it is one whole file. The cost is one pass over
/// the file at open (the checksum pass touches every byte anyway) and the file's size in
/// private memory per open engine (see the README's "Deployment").
final class IndexStorage: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    deinit { bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() } }

    /// Aligned memory for `count` bytes, or `.outOfMemory` when the system refuses it
    /// (a size read from a file must not abort the host).
    private static func allocate(_ count: Int, what: String) throws(ChatbotError) -> UnsafeMutableRawPointer {
        var p: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&p, IndexFormat.alignment, max(count, 1)) == 0, let p else {
            throw .outOfMemory("cannot allocate \(count) bytes for \(what)")
        }
        return p
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
        let fd = try openRegularFile(path) { path, problem in
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
        defer { try? fd.close() }
        for _ in 0..<readAttempts {
            let before: Stat
            do { before = try fd.stat() } catch { throw .io("cannot stat '\(path)': \(String(cString: strerror(error.rawValue)))") }
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
}
