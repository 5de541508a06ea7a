/// Windows-1252, the encoding French Excel uses for "CSV (séparateur : point-virgule)".
enum Windows1252 {
    /// 0x80–0x9F, where Windows-1252 differs from Latin-1; 0 marks the five unused bytes.
    private static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// The bytes re-encoded as UTF-8. The five bytes Windows-1252 leaves undefined are kept
    /// as their Latin-1 control characters, so that nothing is lost.
    static func decode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
                continue
            }
            var scalar = UInt32(b)
            if b < 0xA0, high[Int(b - 0x80)] != 0 { scalar = high[Int(b - 0x80)] }
            out += String(Unicode.Scalar(scalar)!).utf8
        }
        return out
    }
}

/// Whether the bytes are valid UTF-8.
func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) != nil }
}
