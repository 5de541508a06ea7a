/// Why an `Anonymizer` could not be made from the host's patterns.
public enum AnonymizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name is empty, too long (over 32), or not made of `A–Z`, `0–9` and `_`.
    case invalidName(String)
    /// The name is one of the built-in placeholders (EMAIL, TELEPHONE, NIR, IBAN, CARTE).
    case reservedName(String)
    /// Two patterns share a name.
    case duplicateName(String)
    /// The pattern text is unusable; `reason` says why, in English.
    case invalidPattern(name: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let n): return "invalid pattern name \"\(n)\": use 1 to 32 of A-Z, 0-9 and _"
        case .reservedName(let n): return "pattern name \(n) is a built-in placeholder"
        case .duplicateName(let n): return "pattern name \(n) is given twice"
        case .invalidPattern(let n, let reason): return "invalid pattern \(n): \(reason)"
        }
    }
}
