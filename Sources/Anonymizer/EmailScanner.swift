/// E-mail addresses: `local@domain.tld`.
///
/// Found from each `@`: the local part extends left over letters (any script), digits and
/// `. _ % + -`; the domain extends right over labels of letters, digits and `-` joined by
/// dots, with at least two labels and a final label of 2+ letters. A dot that ends the
/// sentence is not part of the address. Both sides are capped (64 and 255 bytes, the RFC 5321
/// limits), so each `@` costs a bounded amount of work.
enum EmailScanner {
    /// Every address in the text, in order, not overlapping.
    static func findAll(_ t: TextBytes) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var searchFrom = 0
        var i = 0
        while i < t.count {
            if t[i] == UInt8(ascii: "@") {
                if let r = match(t, at: i, notBefore: searchFrom) {
                    found.append(r)
                    searchFrom = r.upperBound
                    i = r.upperBound
                    continue
                }
            }
            i += 1
        }
        return found
    }

    private static func match(_ t: TextBytes, at: Int, notBefore: Int) -> Range<Int>? {
        // Local part, leftwards by whole scalars.
        var start = at
        while start > notBefore && at - start < 64 {
            var s = start - 1
            while s > notBefore && t[s] & 0xC0 == 0x80 { s -= 1 }
            let b = t[s]
            let ok = b < 0x80 ? (isASCIIWord(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "%")
                                 || b == UInt8(ascii: "+") || b == UInt8(ascii: "-"))
                              : isWordScalar(t.decodeScalar(at: s).value)
            if !ok { break }
            start = s
        }
        while start < at && t[start] == UInt8(ascii: ".") { start += 1 }
        guard start < at else { return nil }
        // Domain, rightwards: ASCII labels (internationalised domains are rare in HR chat).
        var j = at + 1
        var labels = 0
        var lastLabelAllLetters = false
        var end = -1
        while j - at < 255 {
            let labelStart = j
            var allLetters = true
            while isASCIIDigit(t.at(j)) || isASCIILetter(t.at(j)) || t.at(j) == UInt8(ascii: "-") {
                if !isASCIILetter(t[j]) { allLetters = false }
                j += 1
            }
            guard j > labelStart else { break }
            labels += 1
            lastLabelAllLetters = allLetters && j - labelStart >= 2
            if labels >= 2 && lastLabelAllLetters { end = j }
            guard t.at(j) == UInt8(ascii: "."), isASCIIWord(t.at(j + 1)) else { break }
            j += 1
        }
        guard end > 0, t.isBoundary(after: end) else { return nil }
        return start..<end
    }
}
