#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A file that could not be read or written, with the reason in words.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
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
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notFound: return "\(path): no such file or directory"
        case .isDirectory: return "\(path): is a directory"
        case .notRegularFile: return "\(path): not a regular file (a pipe, socket or device)"
        case .permissionDenied: return "\(path): permission denied"
        case .tooLarge(let bytes, let limit): return "\(path): file of \(bytes) bytes is larger than the \(limit)-byte limit for this kind of file"
        case .system(let call, let code):
            return "\(path): \(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }

    static func fromErrno(_ code: Int32, path: String, call: String) -> FileError {
        switch code {
        case ENOENT, ENOTDIR: return FileError(path: path, reason: .notFound)
        case EISDIR: return FileError(path: path, reason: .isDirectory)
        case EACCES, EPERM: return FileError(path: path, reason: .permissionDenied)
        default: return FileError(path: path, reason: .system(call: call, errno: code))
        }
    }
}

/// Opens a regular file for reading, and refuses anything else without blocking: opening a
/// FIFO for reading waits for a writer forever, so the open is non-blocking until `fstat`
/// has said what the path is (issue 13).
package func openRegularFile(_ path: String) throws(FileError) -> Int32 {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 { throw FileError.fromErrno(errno, path: path, call: "open") }
    var info = stat()
    if fstat(fd, &info) != 0 {
        let code = errno
        close(fd)
        throw FileError.fromErrno(code, path: path, call: "fstat")
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR:
        close(fd)
        throw FileError(path: path, reason: .isDirectory)
    default:
        close(fd)
        throw FileError(path: path, reason: .notRegularFile)
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
/// `FileError.Reason.notRegularFile`).
///
/// Goes through `open`/`fstat`/`read` rather than Foundation, which library modules avoid.
/// A file larger than `maxBytes` is refused (`FileError.Reason.tooLarge`) before it is read,
/// and so is one that grows past it while it is read.
package func readFile(_ path: String, maxBytes: Int = InputLimits.maxSourceBytes) throws(FileError) -> [UInt8] {
    let fd = try openRegularFile(path)
    defer { close(fd) }

    var info = stat()
    if fstat(fd, &info) != 0 { throw FileError.fromErrno(errno, path: path, call: "fstat") }
    if Int(info.st_size) > maxBytes { throw FileError(path: path, reason: .tooLarge(bytes: Int(info.st_size), limit: maxBytes)) }

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
            throw FileError.fromErrno(errno, path: path, call: "read")
        }
        if n == 0 { break }
        count += n
        if count > maxBytes { throw FileError(path: path, reason: .tooLarge(bytes: count, limit: maxBytes)) }
    }
    bytes.removeLast(bytes.count - count)
    return bytes
}

/// Replaces the file at `path` with `bytes` so that readers see either the old or the new
/// content, never a torn one, even after a crash: write a temporary file in the same
/// directory, `fsync` it, then `rename` it over the destination (atomic on POSIX).
package func writeFileAtomically(_ path: String, bytes: [UInt8]) throws(FileError) {
    // Same directory as the target, so rename never crosses file systems.
    let temporary = "\(path).tmp-\(getpid())-\(nextTemporarySuffix())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    if fd < 0 { throw FileError.fromErrno(errno, path: path, call: "open") }
    var written = 0
    var failure: FileError?
    while written < bytes.count {
        let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + written, bytes.count - written) }
        if n < 0 {
            if errno == EINTR { continue }
            failure = FileError.fromErrno(errno, path: path, call: "write")
            break
        }
        written += n
    }
    if failure == nil, fsync(fd) != 0 { failure = FileError.fromErrno(errno, path: path, call: "fsync") }
    if close(fd) != 0, failure == nil { failure = FileError.fromErrno(errno, path: path, call: "close") }
    if failure == nil, rename(temporary, path) != 0 {
        failure = FileError.fromErrno(errno, path: path, call: "rename")
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
