#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
/// Why a `.npy` file could not be read or written.
public enum NPYError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with `\x93NUMPY`.
    case badMagic
    /// Header version other than 1.0, 2.0, 3.0.
    case unsupportedVersion(major: UInt8, minor: UInt8)
    /// The file ends before the header or data it announces.
    case truncated(expected: Int, got: Int)
    /// The header dictionary is not the Python literal NumPy writes.
    case headerParse(String)
    /// dtype other than little-endian float32/float16/float64.
    case unsupportedDType(String)
    /// `fortran_order: True` (column-major) data.
    case fortranOrder
    /// Shape with more than 2 dimensions, or 0-d.
    case unsupportedShape([Int])
    /// Bytes after the announced data.
    case trailingData(count: Int)
    /// A file system call failed (`errno`).
    case io(path: String, errno: Int32)
    /// A FIFO, socket, device or directory: reading one could block forever or never end.
    case notRegularFile(path: String)
    /// Larger than `NPYArray.maxFileBytes`, refused before it is read.
    case tooLarge(path: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .badMagic: return "not a .npy file (missing \\x93NUMPY magic)"
        case .unsupportedVersion(let a, let b): return "unsupported .npy format version \(a).\(b)"
        case .truncated(let e, let g): return ".npy file truncated: expected \(e) bytes, got \(g)"
        case .headerParse(let m): return ".npy header parse error: \(m)"
        case .unsupportedDType(let d): return "unsupported .npy dtype '\(d)' (expected '<f4', '<f2' or '<f8')"
        case .fortranOrder: return ".npy file is in Fortran (column-major) order; only C order is supported"
        case .unsupportedShape(let s): return "unsupported .npy shape \(s): expected 1-D or 2-D"
        case .trailingData(let n): return ".npy file has \(n) unexpected bytes after the data"
        case .io(let p, let e): return "cannot access '\(p)': \(String(cString: strerror(e))) (errno \(e))"
        case .notRegularFile(let p): return "'\(p)' is not a regular file (a directory, pipe, socket or device)"
        case .tooLarge(let p, let n, let limit): return "'\(p)' has \(n) bytes, more than the \(limit)-byte limit for a .npy file"
        }
    }
}
