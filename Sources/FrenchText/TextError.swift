/// Errors raised while turning raw bytes into analysed French text.
public enum TextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not valid UTF-8; `byteOffset` is the first offending byte.
    case invalidUTF8(byteOffset: Int)

    public var description: String {
        switch self {
        case .invalidUTF8(let offset):
            return "invalid UTF-8 at byte offset \(offset)"
        }
    }
}
