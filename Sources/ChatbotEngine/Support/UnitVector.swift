import ChatbotErrors
import VectorSearch

/// `v` scaled to unit length by VectorSearch's `normalizedCopy` (which sums in Double, so
/// large components neither overflow nor lose precision), its errors told as `subject`'s:
/// "<subject> value N is NaN or infinite", "<subject> is all zeros".
func unitVector(_ v: [Float], subject: String) throws(ChatbotError) -> [Float] {
    do {
        return try normalizedCopy(v)
    } catch {
        // VectorSearch words the failure for its own rows; find the column again to word it
        // for `subject` (only on the error path).
        if let column = v.firstIndex(where: { !$0.isFinite }) {
            throw .invalidArgument("\(subject) value \(column + 1) is NaN or infinite")
        }
        throw .invalidArgument("\(subject) is all zeros")
    }
}
