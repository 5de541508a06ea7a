import Glibc

/// Bytes of an index file kept alive for as long as views into them exist:
/// either a read-only memory map of the file or a 64-byte-aligned private copy.
final class IndexStorage: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let release: () -> Void

    private init(bytes: UnsafeRawBufferPointer, release: @escaping () -> Void) {
        self.bytes = bytes
        self.release = release
    }

    deinit { release() }

    /// Copies `source` into memory aligned for in-place typed access.
    static func copying(_ source: UnsafeRawBufferPointer) -> IndexStorage {
        let n = max(source.count, 1)
        let p = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: IndexFormat.alignment)
        if let base = source.baseAddress, source.count > 0 { p.copyMemory(from: base, byteCount: source.count) }
        return IndexStorage(bytes: UnsafeRawBufferPointer(start: p, count: source.count)) { p.deallocate() }
    }

    /// Memory-maps `path` read-only; pages are loaded lazily by the kernel, so opening
    /// costs a checksum pass rather than a parse.
    static func mapping(path: String) throws(EngineError) -> IndexStorage {
        let fd: Int32
        do { fd = try openRegularFile(path) } catch {
            let reason = switch error.reason {
            case .notFound: String(cString: strerror(ENOENT))
            case .isDirectory: String(cString: strerror(EISDIR))
            case .permissionDenied: String(cString: strerror(EACCES))
            case .notRegularFile: "not a regular file (a pipe, socket or device)"
            case .system(_, let code): String(cString: strerror(code))
            }
            throw .io("cannot open index '\(path)': \(reason)")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io("cannot stat '\(path)': \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        if size == 0 { return copying(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw .io("cannot map '\(path)': \(String(cString: strerror(errno)))")
        }
        return IndexStorage(bytes: UnsafeRawBufferPointer(start: p, count: size)) { munmap(p, size) }
    }
}
