#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import Synchronization

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

/// Opens a regular file for reading, and refuses anything else without blocking: opening a
/// FIFO for reading waits for a writer forever, so the open is non-blocking until `fstat`
/// has said what the path is (issue 13).
package func openRegularFile(_ path: String, failure: FileFailure = ChatbotError.file) throws(ChatbotError) -> Int32 {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 { throw failure(path, .fromErrno(errno, call: "open")) }
    var info = stat()
    if fstat(fd, &info) != 0 {
        let code = errno
        close(fd)
        throw failure(path, .fromErrno(code, call: "fstat"))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR:
        close(fd)
        throw failure(path, .isDirectory)
    default:
        close(fd)
        throw failure(path, .notRegularFile)
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return fd
}

/// Whether two paths name the same existing file (same device and inode: through links,
/// `./`, `..` or another spelling alike). False when either does not exist.
package func isSameFile(_ a: String, _ b: String) -> Bool {
    var x = stat(), y = stat()
    guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
    return x.st_dev == y.st_dev && x.st_ino == y.st_ino
}

/// Reads a whole regular file into memory (a pipe, socket or device is refused:
/// `FileProblem.notRegularFile`).
///
/// Goes through `open`/`fstat`/`read` rather than Foundation, which library modules avoid.
/// A file larger than `maxBytes` is refused (`FileProblem.tooLarge`) before it is read,
/// and so is one that grows past it while it is read.
package func readFile(_ path: String, maxBytes: Int = InputLimits.maxSourceBytes,
                      failure: FileFailure = ChatbotError.file) throws(ChatbotError) -> [UInt8] {
    let fd = try openRegularFile(path, failure: failure)
    defer { close(fd) }

    var info = stat()
    if fstat(fd, &info) != 0 { throw failure(path, .fromErrno(errno, call: "fstat")) }
    if Int(info.st_size) > maxBytes { throw failure(path, .tooLarge(bytes: Int(info.st_size), limit: maxBytes)) }

    // st_size is exact, unless the file grows while it is read: the buffer then grows too.
    var capacity = max(Int(info.st_size), 0) + 1
    var bytes = [UInt8](repeating: 0, count: capacity)
    var count = 0
    while true {
        if count == capacity {
            capacity *= 2
            bytes.append(contentsOf: repeatElement(0, count: capacity - bytes.count))
        }
        let n = bytes.withUnsafeMutableBytes { raw in
            read(fd, raw.baseAddress! + count, capacity - count)
        }
        if n < 0 {
            if errno == EINTR { continue }
            throw failure(path, .fromErrno(errno, call: "read"))
        }
        if n == 0 { break }
        count += n
        if count > maxBytes { throw failure(path, .tooLarge(bytes: count, limit: maxBytes)) }
    }
    bytes.removeLast(bytes.count - count)
    return bytes
}

/// Replaces the file at `path` with `bytes` so that readers see either the old or the new
/// content, never a torn one, even after a crash: write a temporary file in the same
/// directory, `fsync` it, then `rename` it over the destination (atomic on POSIX).
package func writeFileAtomically(_ path: String, bytes: [UInt8], failure report: FileFailure = ChatbotError.file) throws(ChatbotError) {
    // Same directory as the target, so rename never crosses file systems.
    let temporary = "\(path).tmp-\(getpid())-\(nextTemporarySuffix())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    if fd < 0 { throw report(path, .fromErrno(errno, call: "open")) }
    var written = 0
    var failure: ChatbotError?
    while written < bytes.count {
        let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + written, bytes.count - written) }
        if n < 0 {
            if errno == EINTR { continue }
            failure = report(path, .fromErrno(errno, call: "write"))
            break
        }
        written += n
    }
    if failure == nil, fsync(fd) != 0 { failure = report(path, .fromErrno(errno, call: "fsync")) }
    if close(fd) != 0, failure == nil { failure = report(path, .fromErrno(errno, call: "close")) }
    if failure == nil, rename(temporary, path) != 0 {
        failure = report(path, .fromErrno(errno, call: "rename"))
    }
    if let failure {
        unlink(temporary)
        throw failure
    }
    // Persist the directory entry too; failing here is not worth reporting (the data is safe).
    let dir = directoryName(of: path)
    let dirFD = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dirFD >= 0 {
        _ = fsync(dirFD)
        close(dirFD)
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
