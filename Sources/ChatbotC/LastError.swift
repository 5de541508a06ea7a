#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The per-thread message behind `cb_last_error()`.
///
/// Kept in a pthread key rather than a global so that threads sharing an engine never see
/// each other's errors, and without a lock. The message is a `malloc`ed C string owned by
/// the thread; the key's destructor frees it when the thread exits.
enum LastError {
    /// `nil` only if the process ran out of pthread keys (PTHREAD_KEYS_MAX): calls still
    /// work and return their status codes, but `cb_last_error()` then explains that instead.
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key) { free($0) } == 0 ? key : nil
    }()

    /// "" for threads without an error; a static string so that it never needs freeing.
    private static let empty: StaticString = ""

    static func set(_ message: String) {
        guard let key else { return }
        let old = pthread_getspecific(key)
        let bytes = message.utf8.count
        guard let p = malloc(bytes + 1) else {
            // Keep the previous message rather than failing: the status code still tells the truth.
            return
        }
        copyUTF8(message, to: p)
        p.storeBytes(of: 0, toByteOffset: bytes, as: UInt8.self)
        pthread_setspecific(key, p)
        free(old)
    }

    static func clear() {
        if let key, let old = pthread_getspecific(key) {
            pthread_setspecific(key, nil)
            free(old)
        }
    }

    static var current: UnsafePointer<CChar> {
        guard let key else { return staticCString("libchatbot: no thread-local storage left for error messages") }
        if let p = pthread_getspecific(key) { return UnsafePointer(p.assumingMemoryBound(to: CChar.self)) }
        return staticCString(empty)
    }
}
