#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import FrenchText

/// Text crossing the C boundary: validation of incoming C strings, and the layout of
/// strings handed out to the caller.

/// Reads a required NUL-terminated UTF-8 argument, rejecting NULL and invalid UTF-8.
func requiredString(_ p: UnsafePointer<CChar>?, _ name: String) throws(ChatbotError) -> String {
    guard let p else { throw ChatbotError(.invalidArgument, "\(name) is NULL") }
    return try validString(p, name)
}

/// A NUL-terminated argument as a String; invalid UTF-8 is refused naming the offset of its
/// first bad byte, so that a host can find it in a long text.
func validString(_ p: UnsafePointer<CChar>, _ name: String) throws(ChatbotError) -> String {
    if let s = String(validatingCString: p) { return s }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
    let offset = UTF8Validation.firstInvalidOffset(in: bytes) ?? 0
    throw ChatbotError(.invalidUTF8, "\(name) is not valid UTF-8 (first invalid byte at offset \(offset))")
}

/// Like `requiredString`, but NULL means "not given".
func optionalString(_ p: UnsafePointer<CChar>?, _ name: String) throws(ChatbotError) -> String? {
    guard p != nil else { return nil }
    return try requiredString(p, name)
}

/// Copies the UTF-8 bytes of `s` (no terminator) to `dest`; returns how many were written.
@discardableResult
func copyUTF8(_ s: String, to dest: UnsafeMutableRawPointer) -> Int {
    var s = s
    return s.withUTF8 { bytes in
        if let base = bytes.baseAddress { dest.copyMemory(from: base, byteCount: bytes.count) }
        return bytes.count
    }
}

/// A string literal as a C string. Swift emits literals NUL-terminated in read-only data,
/// so the pointer is valid for the life of the process and needs no freeing.
func staticCString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Strings returned by `cb_match_json`, `cb_analyze_json`, …: `malloc`ed NUL-terminated
/// bytes, registered in the `HandleRegistry` so that `cb_string_free` refuses a string that
/// is already freed or that the library did not make, without reading it.
enum OwnedCString {
    static func make(_ bytes: [UInt8]) throws(ChatbotError) -> UnsafeMutablePointer<CChar> {
        guard let text = malloc(bytes.count + 1) else {
            throw ChatbotError(.outOfMemory, "cannot allocate \(bytes.count + 1) bytes for a string")
        }
        bytes.withUnsafeBytes { if let b = $0.baseAddress { text.copyMemory(from: b, byteCount: $0.count) } }
        text.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        do { try HandleRegistry.add(text, .string) } catch {
            free(text)
            throw error
        }
        return text.assumingMemoryBound(to: CChar.self)
    }

    static func release(_ text: UnsafeMutablePointer<CChar>) throws(ChatbotError) {
        try HandleRegistry.unregister(text, .string)
        free(text)
    }
}
