/// IBAN (ISO 13616): a country code, 2 check digits and up to 30 letters or digits, written
/// as one run or in groups of 4 separated by single spaces (the last group may be shorter).
///
/// The whole must pass mod 97. Countries whose length is listed below must have exactly
/// that length (FR 27); others need 15–34 characters. Letters may be in either case.
/// With spaces, the scanner tries the longest run of groups first and then drops groups from
/// the end, so "FR76 … 189 a changé" does not swallow the word "a".
enum IBANScanner {
    /// Lengths of the IBANs a French host meets most (SEPA neighbours and the French ones).
    private static let lengths: [UInt16: Int] = [
        code("FR"): 27, code("MC"): 27, code("IT"): 27, code("DE"): 22, code("GB"): 22,
        code("IE"): 22, code("BE"): 16, code("NL"): 18, code("LU"): 20, code("AT"): 20,
        code("CH"): 21, code("LI"): 21, code("ES"): 24, code("PT"): 25, code("AD"): 24,
    ]

    private static func code(_ s: StaticString) -> UInt16 {
        let p = s.utf8Start
        return UInt16(p[0]) << 8 | UInt16(p[1])
    }

    static func match(_ t: TextBytes, at i: Int) -> Int? {
        guard isASCIILetter(t[i]), isASCIILetter(t.at(i + 1)), t.isDigit(at: i + 2), t.isDigit(at: i + 3) else { return nil }
        let country = UInt16(t[i] & ~0x20) << 8 | UInt16(t[i + 1] & ~0x20)
        let wanted = lengths[country]
        func lengthFits(_ n: Int) -> Bool { wanted.map { $0 == n } ?? (15...34).contains(n) }

        var chars: [UInt8] = [t[i], t[i + 1], t[i + 2], t[i + 3]]
        chars.reserveCapacity(34)
        var j = i + 4
        if t.at(j) == UInt8(ascii: " ") {
            // Groups of 4; remember where each group ends, to try the longest valid prefix.
            var ends: [(end: Int, count: Int)] = []
            var groupLength = 4
            while groupLength == 4 && t.at(j) == UInt8(ascii: " ") && isAlnum(t.at(j + 1)) && chars.count < 34 {
                j += 1
                groupLength = 0
                while isAlnum(t.at(j)) && groupLength < 5 {
                    chars.append(t[j])
                    j += 1
                    groupLength += 1
                }
                if groupLength > 4 { break }  // not a group of the IBAN: stop before it
                ends.append((j, chars.count))
            }
            for (end, n) in ends.reversed() where lengthFits(n) && t.isBoundary(after: end) {
                if ibanIsValid(chars[0..<n]) { return end }
            }
            return nil
        }
        while isAlnum(t.at(j)) && chars.count <= 34 {
            chars.append(t[j])
            j += 1
        }
        guard lengthFits(chars.count), t.isBoundary(after: j), ibanIsValid(chars[...]) else { return nil }
        return j
    }

    @inline(__always) private static func isAlnum(_ b: UInt8) -> Bool { isASCIIDigit(b) || isASCIILetter(b) }
}
