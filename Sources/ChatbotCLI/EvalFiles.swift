#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors

/// Writes `text` to `path` (replacing it), failing loudly: an export that silently came out
/// empty or truncated would be worse than none.
func writeTextFile(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "wb") else { throw ChatbotError.usage("cannot write \(path): \(String(cString: strerror(errno)))") }
    let bytes = Array(text.utf8)
    let written = fwrite(bytes, 1, bytes.count, f)
    let flushed = fflush(f) == 0
    let closed = fclose(f) == 0
    guard written == bytes.count, flushed, closed else {
        throw ChatbotError.usage("cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
