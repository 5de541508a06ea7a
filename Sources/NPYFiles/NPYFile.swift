#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotEngine
import ChatbotErrors

extension NPYArray {
    /// Reads and parses a `.npy` file. A FIFO, socket or device is refused without waiting
    /// on it, and a file over `maxFileBytes` before any of it is read (the engine's
    /// `readFile`, with this limit).
    public init(contentsOfFile path: String) throws(ChatbotError) {
        let bytes: [UInt8]
        bytes = try readFile(path, maxBytes: Self.maxFileBytes, failure: ChatbotError.npyFile)
        try self.init(parsing: bytes)
    }

    /// Writes the array as a `.npy` file, replacing `path` atomically (mode 0644).
    public func write(toFile path: String) throws(ChatbotError) {
        try writeFileAtomically(path, bytes: serialized(), failure: ChatbotError.npyFile)
    }
}

extension NPYArray {
    /// The largest `.npy` file read: 4 GiB, a million 1,024-dimension float32 rows.
    public static let maxFileBytes = 4 << 30
}

extension ChatbotError {
    /// A failure of the engine's file functions, as this module words it.
    static func npyFile(path: String, problem: FileProblem) -> ChatbotError {
        switch problem {
        case .notFound: .io(path: path, errno: ENOENT)
        case .isDirectory, .notRegularFile: .notRegularFile(path: path)
        case .permissionDenied: .io(path: path, errno: EACCES)
        case .tooLarge(let bytes, let limit): .tooLarge(path: path, bytes: bytes, limit: limit)
        case .system(_, let code): .io(path: path, errno: code)
        }
    }
}
