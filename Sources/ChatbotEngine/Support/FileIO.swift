#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CFileSync
import ChatbotErrors
import Synchronization
import SystemPackage

/// Why a file could not be read or written.
public enum FileProblem: Sendable, Equatable {
    case notFound
    case isDirectory
    /// A FIFO, socket or device: reading one could block forever or never end.
    case notRegularFile
    case permissionDenied
    /// Larger than the limit for its kind of file (`InputLimits`): refused before any of it
    /// is read, so that a huge or sparse file cannot exhaust memory.
    case tooLarge(bytes: Int, limit: Int)
    /// Any other failure of the named system call, with its `errno`.
    case system(call: String, errno: Int32)

    static func fromErrno(_ code: Int32, call: String) -> FileProblem {
        switch code {
        case ENOENT, ENOTDIR: .notFound
        case EISDIR: .isDirectory
        case EACCES, EPERM: .permissionDenied
        default: .system(call: call, errno: code)
        }
    }
}

extension ChatbotError {
    /// A file that could not be read or written (kind `io`), with the reason in words.
    public static func file(path: String, reason: FileProblem) -> ChatbotError {
        let message = switch reason {
        case .notFound: "\(path): no such file or directory"
        case .isDirectory: "\(path): is a directory"
        case .notRegularFile: "\(path): not a regular file (a pipe, socket or device)"
        case .permissionDenied: "\(path): permission denied"
        case .tooLarge(let bytes, let limit): "\(path): file of \(bytes) bytes is larger than the \(limit)-byte limit for this kind of file"
        case .system(let call, let code): "\(path): \(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
        return ChatbotError(.io, message, location: FileLocation(file: path))
    }
}

/// How a caller words a file failure: by default `ChatbotError.file(path:reason:)`; a module
/// with its own wording for its own files (an index, a `.npy` file) passes another.
package typealias FileFailure = (_ path: String, _ problem: FileProblem) -> ChatbotError

extension FileProblem {
    init(_ error: Errno, call: String) { self = .fromErrno(error.rawValue, call: call) }

    /// A swift-system failure: its calls throw untyped errors, always an `Errno`.
    init(_ error: any Error, call: String) {
        self = (error as? Errno).map { FileProblem($0, call: call) } ?? .system(call: call, errno: EIO)
    }
}

/// Runs one swift-system call, whose `Errno` becomes a `FileProblem` worded by `failure`.
@inline(__always)
private func systemCall<R>(_ call: String, _ path: String, _ failure: FileFailure, _ body: () throws -> R) throws(ChatbotError) -> R {
    do { return try body() } catch { throw failure(path, FileProblem(error, call: call)) }
}

/// Opens a regular file for reading, and refuses anything else without blocking: opening a
/// FIFO for reading waits for a writer forever, so the open is non-blocking until `fstat`
/// has said what the path is (issue 13). The caller closes the descriptor.
package func openRegularFile(_ path: String, failure: FileFailure = ChatbotError.file) throws(ChatbotError) -> FileDescriptor {
    let fd = try systemCall("open", path, failure) {
        try FileDescriptor.open(FilePath(path), .readOnly, options: [.nonBlocking, .closeOnExec])
    }
    let type: FileType
    do {
        type = try fd.stat().type
    } catch {
        try? fd.close()
        throw failure(path, FileProblem(error, call: "fstat"))
    }
    guard type == .regular else {
        try? fd.close()
        throw failure(path, type == .directory ? .isDirectory : .notRegularFile)
    }
    // Reads block again once the file is known to be regular. swift-system has no fcntl.
    _ = fcntl(fd.rawValue, F_SETFL, fcntl(fd.rawValue, F_GETFL) & ~O_NONBLOCK)
    return fd
}

/// Whether a file (of any type) exists at `path`.
package func fileExists(_ path: String) -> Bool {
    (try? Stat(FilePath(path))) != nil
}

/// Whether two paths name the same existing file (same device and inode: through links,
/// `./`, `..` or another spelling alike). False when either does not exist.
package func isSameFile(_ a: String, _ b: String) -> Bool {
    guard let x = try? Stat(FilePath(a)), let y = try? Stat(FilePath(b)) else { return false }
    return x.deviceID == y.deviceID && x.inode == y.inode
}

/// Reads a whole regular file into memory (a pipe, socket or device is refused:
/// `FileProblem.notRegularFile`).
///
/// Goes through swift-system rather than Foundation, which library modules avoid.
/// A file larger than `maxBytes` is refused (`FileProblem.tooLarge`) before it is read,
/// and so is one that grows past it while it is read.
package func readFile(_ path: String, maxBytes: Int = InputLimits.maxSourceBytes,
                      failure: FileFailure = ChatbotError.file) throws(ChatbotError) -> [UInt8] {
    let fd = try openRegularFile(path, failure: failure)
    defer { try? fd.close() }
    let size: Int
    do { size = Int(try fd.stat().size) } catch { throw failure(path, FileProblem(error, call: "fstat")) }
    if size > maxBytes { throw failure(path, .tooLarge(bytes: size, limit: maxBytes)) }

    // The size is exact, unless the file grows while it is read: the buffer then grows too.
    var capacity = max(size, 0) + 1
    var bytes = [UInt8](repeating: 0, count: capacity)
    var count = 0
    while true {
        if count == capacity {
            capacity *= 2
            bytes.append(contentsOf: repeatElement(0, count: capacity - bytes.count))
        }
        let start = count
        let n = try systemCall("read", path, failure) {
            try bytes.withUnsafeMutableBytes { raw in try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[start...])) }
        }
        if n == 0 { break }
        count += n
        if count > maxBytes { throw failure(path, .tooLarge(bytes: count, limit: maxBytes)) }
    }
    bytes.removeLast(bytes.count - count)
    return bytes
}

/// Creates the file at `path` with `bytes` (mode 0644) and makes it durable (`fsync`).
/// Returns false, touching nothing, when something already exists at `path`: the caller
/// chooses another name. A failure after the creation removes the partial file.
package func createFile(_ path: String, bytes: some Sequence<UInt8>, failure: FileFailure = ChatbotError.file) throws(ChatbotError) -> Bool {
    let fd: FileDescriptor
    do {
        fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                     permissions: FilePermissions(rawValue: 0o644))
    } catch let error as Errno where error == .fileExists {
        return false
    } catch {
        throw failure(path, FileProblem(error, call: "open"))
    }
    var problem: FileProblem?
    do {
        let written = try bytes.withContiguousStorageIfAvailable { buffer in
            try writeStartingWriteback(fd, UnsafeRawBufferPointer(buffer))
        }
        if written == nil { _ = try fd.writeAll(bytes) }
    } catch {
        problem = FileProblem(error, call: "write")
    }
    // swift-system has no fsync.
    if problem == nil, fsync(fd.rawValue) != 0 { problem = .fromErrno(errno, call: "fsync") }
    do { try fd.close() } catch { problem = problem ?? FileProblem(error, call: "close") }
    if let problem {
        unlink(path)
        throw failure(path, problem)
    }
    return true
}

/// Bytes written before their write-back is started (`chatbot_start_writeback`).
let writebackChunk = 8 << 20

/// Writes `bytes` in chunks, starting each chunk's write-back to the device as soon as it
/// is written: the disk then works while later chunks are copied, and the `fsync` that
/// follows waits less (a 120 MB index: 0.13–0.17 s instead of 0.19–0.23 s after 0.25 s of
/// `write`; the journal commit remains). Small files are written in one call.
private func writeStartingWriteback(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + writebackChunk)
        _ = try fd.writeAll(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
        if bytes.count > writebackChunk {
            // A hint: an error here leaves the pages to the fsync, which reports what matters.
            _ = chatbot_start_writeback(fd.rawValue, Int64(offset), Int64(end - offset))
        }
        offset = end
    }
}

/// Replaces the file at `path` with `bytes` so that readers see either the old or the new
/// content, never a torn one, even after a crash: write a temporary file in the same
/// directory, `fsync` it, then `rename` it over the destination (atomic on POSIX).
package func writeFileAtomically(_ path: String, bytes: some Sequence<UInt8>, failure report: FileFailure = ChatbotError.file) throws(ChatbotError) {
    let temporary = temporaryName(replacing: path)
    // The temporary's failures are reported under the destination's name, which the caller knows.
    guard try createFile(temporary, bytes: bytes, failure: { _, problem in report(path, problem) }) else {
        throw report(path, .fromErrno(EEXIST, call: "open"))
    }
    try renameDurably(temporary, over: path, failure: report)
}

/// A name for the temporary file that will replace `path`: in the same directory, so that
/// the rename never crosses file systems, and distinct per process and per call.
func temporaryName(replacing path: String) -> String {
    "\(path).tmp-\(getpid())-\(nextTemporarySuffix())"
}

/// Renames the durable file `temporary` over `path` (atomic on POSIX), then persists the
/// directory entry. On failure the temporary is removed.
func renameDurably(_ temporary: String, over path: String, failure report: FileFailure) throws(ChatbotError) {
    // swift-system has no rename.
    if rename(temporary, path) != 0 {
        let code = errno
        unlink(temporary)
        throw report(path, .fromErrno(code, call: "rename"))
    }
    // Persist the directory entry too; failing here is not worth reporting (the data is safe).
    if let directory = try? FileDescriptor.open(FilePath(directoryName(of: path)), .readOnly, options: [.directory, .closeOnExec]) {
        _ = fsync(directory.rawValue)
        try? directory.close()
    }
}

/// The directory part of a path ("." when there is none).
func directoryName(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    if slash == path.utf8.startIndex { return "/" }
    return String(path[..<slash])
}

/// Distinct temporary names for concurrent writers in one process (the pid covers other processes).
private let temporaryCounter = Atomic<Int>(0)

private func nextTemporarySuffix() -> Int {
    temporaryCounter.add(1, ordering: .relaxed).newValue
}
