import ChatbotErrors
/// Strict UTF-8 validation (RFC 3629): rejects lone continuation bytes, truncated
/// sequences, overlong encodings, UTF-16 surrogates (U+D800–U+DFFF) and code points
/// above U+10FFFF. Written by hand rather than via `String(validating:)` because the
/// analyser needs the offset of the first bad byte and whether the input is pure ASCII
/// (which selects the fast path that skips utf8proc).
public enum UTF8Validation {
    /// Byte offset of the first byte that does not start a valid UTF-8 sequence, or nil.
    /// For a truncated or malformed multi-byte sequence the offset is that of its lead byte.
    public static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        switch scan(bytes) {
        case .invalid(let offset): return offset
        case .valid: return nil
        }
    }

    /// Throws `ChatbotError.invalidUTF8(byteOffset:)` unless `bytes` is valid UTF-8.
    public static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws(ChatbotError) {
        if case .invalid(let offset) = scan(bytes) { throw .invalidUTF8(byteOffset: offset) }
    }

    enum Result: Equatable {
        case valid(isASCII: Bool)
        case invalid(offset: Int)
    }

    /// One pass: validity, first bad offset and "is all ASCII".
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        guard let base = bytes.baseAddress else { return .valid(isASCII: true) }
        let n = bytes.count
        var i = 0
        var ascii = true
        while i < n {
            // ASCII runs dominate French text: test 8 bytes per step.
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= n { break }
            let b = base[i]
            if b < 0x80 { i += 1; continue }
            ascii = false
            switch b {
            case 0xC2...0xDF:
                guard i + 1 < n, isContinuation(base[i + 1]) else { return .invalid(offset: i) }
                i += 2
            case 0xE0...0xEF:
                // E0 needs A0–BF (else overlong); ED needs 80–9F (else a surrogate).
                let low: UInt8 = b == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = b == 0xED ? 0x9F : 0xBF
                guard i + 2 < n, (low...high).contains(base[i + 1]), isContinuation(base[i + 2]) else {
                    return .invalid(offset: i)
                }
                i += 3
            case 0xF0...0xF4:
                // F0 needs 90–BF (else overlong); F4 needs 80–8F (else above U+10FFFF).
                let low: UInt8 = b == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = b == 0xF4 ? 0x8F : 0xBF
                guard i + 3 < n, (low...high).contains(base[i + 1]),
                      isContinuation(base[i + 2]), isContinuation(base[i + 3]) else {
                    return .invalid(offset: i)
                }
                i += 4
            default:
                // 80–BF: continuation without a lead; C0/C1: overlong 2-byte; F5–FF: never valid.
                return .invalid(offset: i)
            }
        }
        return .valid(isASCII: ascii)
    }

    @inline(__always)
    static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
}

/// Decodes the scalar starting at `i` of valid UTF-8; returns it and its length in bytes.
@inline(__always)
func decodeScalar(_ p: UnsafePointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
    let b0 = UInt32(p[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
        return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3)
    }
    return ((b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
            | UInt32(p[i + 3] & 0x3F), 4)
}

/// Calls `body` with the contiguous UTF-8 bytes of `text` (a Swift String is valid UTF-8).
@inline(__always)
func withUTF8Bytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var copy = text
    return copy.withUTF8(body)
}

/// A String of valid UTF-8 `bytes`, built the cheapest way the standard library offers.
///
/// Up to 15 bytes (most tokens and stems) `String(unsafeUninitializedCapacity:)` fills a
/// small string in place and skips validation when the bytes are ASCII; `String(decoding:)`
/// always runs the validating, repairing path.
@inline(__always)
func makeString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    guard bytes.count <= 15, let src = bytes.baseAddress else { return String(decoding: bytes, as: UTF8.self) }
    return String(unsafeUninitializedCapacity: bytes.count) { out in
        out.baseAddress!.update(from: src, count: bytes.count)
        return bytes.count
    }
}
