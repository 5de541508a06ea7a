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
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key) { free($0) }
        // Only fails when the process is out of keys (PTHREAD_KEYS_MAX), before any work was done.
        precondition(rc == 0, "libchatbot: pthread_key_create failed (\(rc))")
        return key
    }()

    /// "" for threads without an error; a static string so that it never needs freeing.
    private static let empty: StaticString = ""

    static func set(_ message: String) {
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
        if let old = pthread_getspecific(key) {
            pthread_setspecific(key, nil)
            free(old)
        }
    }

    static var current: UnsafePointer<CChar> {
        if let p = pthread_getspecific(key) { return UnsafePointer(p.assumingMemoryBound(to: CChar.self)) }
        return staticCString(empty)
    }
}
