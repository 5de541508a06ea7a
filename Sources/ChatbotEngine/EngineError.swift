/// Everything that can go wrong in the engine, with a message fit for a user.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A source file (knowledge base, synonyms, labelled set) is malformed.
    case source(SourceDiagnostic)
    /// An index file is unreadable, truncated, corrupted or from an incompatible version.
    case invalidIndex(String)
    /// A file could not be read or written.
    case io(String)
    /// An argument is out of range or inconsistent.
    case invalidArgument(String)
    /// The text is not valid UTF-8.
    case invalidText(String)
    /// The system refused memory for an allocation whose size comes from the input
    /// (an index file's size). Allocations inside the Swift runtime cannot report failure:
    /// they stop the process (see the README's "Limits").
    case outOfMemory(String)

    public var description: String {
        switch self {
        case .source(let d): return d.description
        case .invalidIndex(let m): return "invalid index: \(m)"
        case .io(let m): return m
        case .invalidArgument(let m): return m
        case .invalidText(let m): return m
        case .outOfMemory(let m): return "out of memory: \(m)"
        }
    }
}
