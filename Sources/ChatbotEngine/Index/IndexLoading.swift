/// How `Engine(contentsOf:loading:)` brings an index file into memory.
public enum IndexLoading: Sendable, Equatable {
    /// Read the file into a private copy and verify every byte before returning. Nothing
    /// done to the file afterwards (rewritten in place, truncated, deleted) reaches the
    /// engine. Costs the file's size in private memory and one pass over it per open.
    case copy
    /// Map the file read-only and verify only its layout before returning: opening takes
    /// milliseconds at any size, and every process that maps the file shares its pages.
    /// The contents are verified the first time the engine needs them (`Engine.verify()`,
    /// or the first match); a damaged file then fails that call, and every later one,
    /// with `.invalidIndex`. The file must only ever be replaced by renaming a complete
    /// file over it (as `Engine.save` and `chatbot-cli build` do): a file rewritten in
    /// place changes under the engine, and one truncated in place makes the process
    /// receive SIGBUS when it reads past the new end.
    case map
}
