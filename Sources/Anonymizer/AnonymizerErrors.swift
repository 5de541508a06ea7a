import ChatbotErrors

/// Why an `Anonymizer` could not be made from the host's patterns; all of kind `invalidArgument`.
extension ChatbotError {
    /// The name is empty, too long (over 32), or not made of `A–Z`, `0–9` and `_`.
    public static func invalidName(_ name: String) -> ChatbotError {
        .invalidArgument("invalid pattern name \"\(name)\": use 1 to 32 of A-Z, 0-9 and _")
    }

    /// The name is one of the built-in placeholders (EMAIL, TELEPHONE, NIR, IBAN, CARTE).
    public static func reservedName(_ name: String) -> ChatbotError {
        .invalidArgument("pattern name \(name) is a built-in placeholder")
    }

    /// Two patterns share a name.
    public static func duplicateName(_ name: String) -> ChatbotError {
        .invalidArgument("pattern name \(name) is given twice")
    }

    /// The pattern text is unusable; `reason` says why, in English.
    public static func invalidPattern(name: String, reason: String) -> ChatbotError {
        .invalidArgument("invalid pattern \(name): \(reason)")
    }
}
