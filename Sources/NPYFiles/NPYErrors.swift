#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors

/// Why a `.npy` file could not be read or written: `invalidSource` for the format, `io`
/// for the file.
extension ChatbotError {
    /// The file does not start with `\x93NUMPY`.
    public static let badMagic = ChatbotError(.invalidSource, "not a .npy file (missing \\x93NUMPY magic)")

    /// Header version other than 1.0, 2.0, 3.0.
    public static func unsupportedVersion(major: UInt8, minor: UInt8) -> ChatbotError {
        ChatbotError(.invalidSource, "unsupported .npy format version \(major).\(minor)")
    }

    /// The file ends before the header or data it announces.
    public static func truncated(expected: Int, got: Int) -> ChatbotError {
        ChatbotError(.invalidSource, ".npy file truncated: expected \(expected) bytes, got \(got)")
    }

    /// The header dictionary is not the Python literal NumPy writes.
    public static func headerParse(_ message: String) -> ChatbotError {
        ChatbotError(.invalidSource, ".npy header parse error: \(message)")
    }

    /// dtype other than little-endian float32/float16/float64.
    public static func unsupportedDType(_ dtype: String) -> ChatbotError {
        ChatbotError(.invalidSource, "unsupported .npy dtype '\(dtype)' (expected '<f4', '<f2' or '<f8')")
    }

    /// `fortran_order: True` (column-major) data.
    public static let fortranOrder = ChatbotError(.invalidSource, ".npy file is in Fortran (column-major) order; only C order is supported")

    /// Shape with more than 2 dimensions, or 0-d.
    public static func unsupportedShape(_ shape: [Int]) -> ChatbotError {
        ChatbotError(.invalidSource, "unsupported .npy shape \(shape): expected 1-D or 2-D")
    }

    /// Bytes after the announced data.
    public static func trailingData(count: Int) -> ChatbotError {
        ChatbotError(.invalidSource, ".npy file has \(count) unexpected bytes after the data")
    }

    /// A file system call failed (`errno`).
    public static func io(path: String, errno code: Int32) -> ChatbotError {
        ChatbotError(.io, "cannot access '\(path)': \(String(cString: strerror(code))) (errno \(code))",
                     location: FileLocation(file: path))
    }

    /// A FIFO, socket, device or directory: reading one could block forever or never end.
    public static func notRegularFile(path: String) -> ChatbotError {
        ChatbotError(.io, "'\(path)' is not a regular file (a directory, pipe, socket or device)", location: FileLocation(file: path))
    }

    /// Larger than `NPYArray.maxFileBytes`, refused before it is read.
    public static func tooLarge(path: String, bytes: Int, limit: Int) -> ChatbotError {
        ChatbotError(.io, "'\(path)' has \(bytes) bytes, more than the \(limit)-byte limit for a .npy file",
                     location: FileLocation(file: path))
    }
}
