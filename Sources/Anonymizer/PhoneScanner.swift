/// French phone numbers: `0X XX XX XX XX` (X from 1 to 9), and the international forms
/// `+33 X XX XX XX XX`, `0033 X XX XX XX XX`, `+33 (0)X XX XX XX XX`.
///
/// The four pairs after the first digit(s) are separated all by spaces, all by dots, all by
/// dashes, or by nothing; mixing separators is not a phone number. A number followed by one
/// more group of digits with the same separator ("06 12 34 56 78 90") is part of a longer
/// run and is left alone, as is one preceded by such a group.
enum PhoneScanner {
    /// End of the phone number starting at `i` (already on a word boundary), or nil.
    static func match(_ t: TextBytes, at i: Int) -> Int? {
        let b = t[i]
        if b == UInt8(ascii: "+") {
            guard t.at(i + 1) == UInt8(ascii: "3"), t.at(i + 2) == UInt8(ascii: "3") else { return nil }
            return international(t, from: i + 3)
        }
        guard b == UInt8(ascii: "0") else { return nil }
        if t.at(i + 1) == UInt8(ascii: "0") && t.at(i + 2) == UInt8(ascii: "3") && t.at(i + 3) == UInt8(ascii: "3") {
            return international(t, from: i + 4)
        }
        let first = t.at(i + 1)
        guard first &- 0x31 < 9 else { return nil }  // 01…09
        // "12.06.12.34.56.78": a group of digits with the same separator comes before.
        if i >= 2 && isSeparator(t[i - 1]) && isASCIIDigit(t[i - 2]) {
            let sep = t[i - 1]
            if t.at(i + 2) == sep { return nil }
        }
        return pairs(t, from: i + 2)
    }

    /// After `+33` / `0033`: an optional space, an optional `(0)`, then the digit 1–9 and the pairs.
    private static func international(_ t: TextBytes, from start: Int) -> Int? {
        var j = start
        if t.at(j) == UInt8(ascii: " ") { j += 1 }
        if t.at(j) == UInt8(ascii: "(") {
            guard t.at(j + 1) == UInt8(ascii: "0"), t.at(j + 2) == UInt8(ascii: ")") else { return nil }
            j += 3
            if t.at(j) == UInt8(ascii: " ") { j += 1 }
        }
        guard t.at(j) &- 0x31 < 9 else { return nil }
        return pairs(t, from: j + 1)
    }

    /// Four pairs of digits from `j`, with one consistent separator (or none), then a boundary.
    private static func pairs(_ t: TextBytes, from start: Int) -> Int? {
        var j = start
        let sep: UInt8? = isSeparator(t.at(j)) ? t.at(j) : nil
        for _ in 0..<4 {
            if let sep {
                guard t.at(j) == sep else { return nil }
                j += 1
            }
            guard t.isDigit(at: j), t.isDigit(at: j + 1) else { return nil }
            j += 2
        }
        guard t.isBoundary(after: j) else { return nil }
        // "06 12 34 56 78 90": the run goes on with the same separator and two more digits.
        if let sep, t.at(j) == sep, t.isDigit(at: j + 1), t.isDigit(at: j + 2) { return nil }
        return j
    }

    @inline(__always) private static func isSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }
}
