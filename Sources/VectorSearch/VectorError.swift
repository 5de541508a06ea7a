/// Errors raised when vectors or search arguments are unusable.
public enum VectorError: Error, Equatable, Sendable, CustomStringConvertible {
    case nonFinite(row: Int, column: Int)
    case zeroVector(row: Int)
    case dimensionMismatch(expected: Int, got: Int)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .nonFinite(let r, let c): return "vector row \(r) has a NaN or infinite value at column \(c)"
        case .zeroVector(let r): return "vector row \(r) is all zeros and has no direction"
        case .dimensionMismatch(let e, let g): return "dimension mismatch: expected \(e), got \(g)"
        case .invalidArgument(let m): return m
        }
    }
}
