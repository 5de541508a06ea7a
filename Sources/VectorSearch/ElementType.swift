/// How a `VectorMatrix` stores its rows.
///
/// - `float32`: 4 bytes per value, exact.
/// - `float16`: 2 bytes per value; half the memory traffic, scores within ~1e-3 of float32.
/// - `int8`: 1 byte per value with one scale per row; candidates are re-ranked exactly in
///   float32, so the matrix keeps the float32 rows as well (see `VectorMatrix`).
public enum ElementType: String, Sendable, CaseIterable {
    case float32 = "f32"
    case float16 = "f16"
    case int8 = "i8"

    /// Bytes per stored value.
    public var byteWidth: Int {
        switch self {
        case .float32: return 4
        case .float16: return 2
        case .int8: return 1
        }
    }
}
