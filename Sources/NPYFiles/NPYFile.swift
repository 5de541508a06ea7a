#if canImport(Glibc)
import Glibc
#endif

extension NPYArray {
    /// Reads and parses a `.npy` file.
    public init(contentsOfFile path: String) throws(NPYError) {
        try self.init(parsing: try readFileBytes(path))
    }

    /// Writes the array as a `.npy` file (created or truncated, mode 0644).
    public func write(toFile path: String) throws(NPYError) {
        try writeFileBytes(path, serialized())
    }
}

extension NPYArray {
    /// The largest `.npy` file read: 4 GiB, a million 1,024-dimension float32 rows.
    public static let maxFileBytes = 4 << 30
}

/// Whole-file read through POSIX calls (no Foundation in library modules). Opened without
/// blocking, so that a FIFO is refused rather than waited on; sized before it is read.
func readFileBytes(_ path: String) throws(NPYError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw .io(path: path, errno: errno) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .io(path: path, errno: errno) }
    guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path) }
    let limit = NPYArray.maxFileBytes
    guard Int(info.st_size) <= limit else { throw .tooLarge(path: path, bytes: Int(info.st_size), limit: limit) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    var out: [UInt8] = []
    out.reserveCapacity(Int(info.st_size))
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw .io(path: path, errno: errno)
        }
        if n == 0 { return out }
        out.append(contentsOf: chunk[0..<n])
        if out.count > limit { throw .tooLarge(path: path, bytes: out.count, limit: limit) }
    }
}

func writeFileBytes(_ path: String, _ bytes: [UInt8]) throws(NPYError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw .io(path: path, errno: errno) }
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
        if n < 0 {
            if errno == EINTR { continue }
            let e = errno
            close(fd)
            throw .io(path: path, errno: e)
        }
        off += n
    }
    guard close(fd) == 0 else { throw .io(path: path, errno: errno) }
}
