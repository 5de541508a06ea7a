import ChatbotErrors

/// The ways vectors or search arguments are unusable; all of kind `invalidArgument`.
extension ChatbotError {
    public static func nonFinite(row: Int, column: Int) -> ChatbotError {
        .invalidArgument("vector row \(row) has a NaN or infinite value at column \(column)")
    }

    public static func zeroVector(row: Int) -> ChatbotError {
        .invalidArgument("vector row \(row) is all zeros and has no direction")
    }

    public static func dimensionMismatch(expected: Int, got: Int) -> ChatbotError {
        .invalidArgument("dimension mismatch: expected \(expected), got \(got)")
    }
}
