/// UTF-8 ↔ scalar-value conversion for the stemmer's working buffer.
///
/// Written out by hand rather than through `String.unicodeScalars` because the stemmer is
/// called once per token: a plain loop over bytes into preallocated memory avoids iterator
/// and allocation overhead on this path.
enum UTF8Scalars {
    /// Decodes `bytes` into `out` (room for `bytes.count` values).
    /// Returns the number of scalars, or `-(offset + 1)` where `offset` is the first byte that
    /// does not start a valid sequence (overlong forms, surrogates and values above U+10FFFF
    /// are invalid, as in the Unicode standard).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt32>) -> Int {
        let n = bytes.count
        var i = 0, count = 0
        // Leading ASCII (most French words are ASCII up to their first accent).
        while i < n && bytes[i] < 0x80 {
            out[i] = UInt32(bytes[i])
            i += 1
        }
        count = i
        while i < n {
            let b0 = UInt32(bytes[i])
            if b0 < 0x80 {
                out[count] = b0
                i += 1
                count += 1
                continue
            }
            let length: Int
            var lowest: UInt32 = 0x80, highest: UInt32 = 0xBF  // allowed range of the 2nd byte
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F             // no surrogates
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F             // ≤ U+10FFFF
            default: return -(i + 1)
            }
            guard i + length <= n else { return -(i + 1) }
            let b1 = UInt32(bytes[i + 1])
            guard b1 >= lowest && b1 <= highest else { return -(i + 1) }
            var value = (b0 & (0xFF >> (length + 1))) << 6 | (b1 & 0x3F)
            var k = 2
            while k < length {
                let b = UInt32(bytes[i + k])
                guard b & 0xC0 == 0x80 else { return -(i + 1) }
                value = value << 6 | (b & 0x3F)
                k += 1
            }
            out[count] = value
            count += 1
            i += length
        }
        return count
    }

    /// Encodes `count` scalar values as UTF-8 into `out` (room for `4 * count` bytes);
    /// returns the number of bytes written.
    static func encode(_ scalars: UnsafeMutablePointer<UInt32>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var w = 0
        for k in 0..<count {
            let v = scalars[k]
            if v < 0x80 {
                out[w] = UInt8(truncatingIfNeeded: v)
                w += 1
            } else if v < 0x800 {
                out[w] = UInt8(truncatingIfNeeded: 0xC0 | v >> 6)
                out[w + 1] = UInt8(truncatingIfNeeded: 0x80 | v & 0x3F)
                w += 2
            } else if v < 0x10000 {
                out[w] = UInt8(truncatingIfNeeded: 0xE0 | v >> 12)
                out[w + 1] = UInt8(truncatingIfNeeded: 0x80 | v >> 6 & 0x3F)
                out[w + 2] = UInt8(truncatingIfNeeded: 0x80 | v & 0x3F)
                w += 3
            } else {
                out[w] = UInt8(truncatingIfNeeded: 0xF0 | v >> 18)
                out[w + 1] = UInt8(truncatingIfNeeded: 0x80 | v >> 12 & 0x3F)
                out[w + 2] = UInt8(truncatingIfNeeded: 0x80 | v >> 6 & 0x3F)
                out[w + 3] = UInt8(truncatingIfNeeded: 0x80 | v & 0x3F)
                w += 4
            }
        }
        return w
    }
}
