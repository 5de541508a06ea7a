import ChatbotErrors
/// Returns `v` scaled to unit length.
///
/// Throws `ChatbotError.nonFinite` for NaN/infinite components (or a norm that overflows
/// Float) and `ChatbotError.zeroVector` for a vector without direction. Row 0 is reported.
public func normalizedCopy(_ v: [Float]) throws(ChatbotError) -> [Float] {
    var out = v
    try out.withUnsafeMutableBufferPointer { (buf) throws(ChatbotError) in
        try normalizeInPlace(buf, row: 0)
    }
    return out
}

/// Normalises `v` in place; `row` names the vector in errors.
func normalizeInPlace(_ v: UnsafeMutableBufferPointer<Float>, row: Int) throws(ChatbotError) {
    // Accumulate in Double: long float vectors with large components would otherwise
    // lose precision or overflow before the square root.
    var sum = 0.0
    for (c, x) in v.enumerated() {
        guard x.isFinite else { throw .nonFinite(row: row, column: c) }
        sum += Double(x) * Double(x)
    }
    guard sum > 0 else { throw .zeroVector(row: row) }
    let inv = 1.0 / sum.squareRoot()
    guard inv.isFinite, inv > 0 else { throw .zeroVector(row: row) }
    for i in v.indices { v[i] = Float(Double(v[i]) * inv) }
}
