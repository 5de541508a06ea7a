/// A1-style cell references ("AB12") as found in xlsx `r` attributes.
enum CellReference {
    /// Largest column index accepted while decoding, far beyond Excel's XFD (16 383), only
    /// to keep the arithmetic from overflowing on hostile input.
    static let maxDecodedColumn = 1 << 24

    /// 0-based column of "AB12" (27) or of bare letters ("AB"); nil when malformed.
    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "$") where letters == 0:
                continue
            default:
                return letters > 0 ? column - 1 : nil
            }
            letters += 1
            if column > maxDecodedColumn { return nil }
        }
        return letters > 0 ? column - 1 : nil
    }

    /// "A", "Z", "AA", … for a 0-based column (used in error messages).
    static func letters(of column: Int) -> String {
        var n = column + 1
        var result: [Character] = []
        while n > 0 {
            let digit = (n - 1) % 26
            result.append(Character(Unicode.Scalar(UInt8(65 + digit))))
            n = (n - 1) / 26
        }
        return String(result.reversed())
    }
}

/// Parses a positive decimal integer attribute; nil when absent or malformed, or above `limit`.
func parsePositiveInt(_ text: String?, limit: Int = 1 << 30) -> Int? {
    guard let text, !text.isEmpty, text.utf8.count <= 12 else { return nil }
    var value = 0
    for byte in text.utf8 {
        guard byte >= 48 && byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
    }
    return value >= 1 && value <= limit ? value : nil
}
