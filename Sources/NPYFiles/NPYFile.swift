#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotEngine

extension NPYArray {
    /// Reads and parses a `.npy` file. A FIFO, socket or device is refused without waiting
    /// on it, and a file over `maxFileBytes` before any of it is read (the engine's
    /// `readFile`, with this limit).
    public init(contentsOfFile path: String) throws(NPYError) {
        let bytes: [UInt8]
        do { bytes = try readFile(path, maxBytes: Self.maxFileBytes) } catch { throw NPYError(error) }
        try self.init(parsing: bytes)
    }

    /// Writes the array as a `.npy` file, replacing `path` atomically (mode 0644).
    public func write(toFile path: String) throws(NPYError) {
        do { try writeFileAtomically(path, bytes: serialized()) } catch { throw NPYError(error) }
    }
}

extension NPYArray {
    /// The largest `.npy` file read: 4 GiB, a million 1,024-dimension float32 rows.
    public static let maxFileBytes = 4 << 30
}

extension NPYError {
    /// The file error of the engine's file functions, as this module reports it.
    init(_ error: FileError) {
        let path = error.path
        switch error.reason {
        case .notFound: self = .io(path: path, errno: ENOENT)
        case .isDirectory, .notRegularFile: self = .notRegularFile(path: path)
        case .permissionDenied: self = .io(path: path, errno: EACCES)
        case .tooLarge(let bytes, let limit): self = .tooLarge(path: path, bytes: bytes, limit: limit)
        case .system(_, let code): self = .io(path: path, errno: code)
        }
    }
}
