import VectorSearch

/// `v` scaled to unit length by VectorSearch's `normalizedCopy` (which sums in Double, so
/// large components neither overflow nor lose precision), its errors told as `subject`'s:
/// "<subject> value N is NaN or infinite", "<subject> is all zeros".
func unitVector(_ v: [Float], subject: String) throws(EngineError) -> [Float] {
    do {
        return try normalizedCopy(v)
    } catch {
        switch error {
        case .nonFinite(_, let column): throw .invalidArgument("\(subject) value \(column + 1) is NaN or infinite")
        default: throw .invalidArgument("\(subject) is all zeros")
        }
    }
}
