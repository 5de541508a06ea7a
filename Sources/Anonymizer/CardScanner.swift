/// Payment card numbers (PAN): 13 to 19 digits that pass the Luhn check.
///
/// Written as one run of digits, or in groups separated all by single spaces or all by
/// dashes: a first group of 4 digits, middle groups of 4–6 (so 4-4-4-4 and Amex 4-6-5),
/// a last group of 1–6. The first digit must be 2–6 (the issuer ranges actually used:
/// Mastercard 2 and 5, Amex and Diners 3, Visa 4, Discover/UnionPay/Maestro 6): this halves
/// the order and ticket numbers that pass Luhn by chance (one in ten does). 14 digits are
/// only Diners (first digit 3): a SIRET is 14 Luhn-valid digits and is not personal data.
enum CardScanner {
    static func match(_ t: TextBytes, at i: Int) -> Int? {
        guard t[i] &- 0x32 < 5 else { return nil }  // 2…6
        var digits: [UInt8] = []
        digits.reserveCapacity(19)
        var j = i
        // The first group tells the separator.
        while t.isDigit(at: j) && digits.count <= 19 {
            digits.append(t[j] - 0x30)
            j += 1
        }
        let sep = t.at(j)
        if digits.count != 4 || !(sep == UInt8(ascii: " ") || sep == UInt8(ascii: "-")) || !t.isDigit(at: j + 1) {
            // One run of digits.
            guard (13...19).contains(digits.count), t.isBoundary(after: j) else { return nil }
            return isCard(digits) ? j : nil
        }
        var lastGroup = 0
        while t.at(j) == sep && t.isDigit(at: j + 1) {
            j += 1
            var n = 0
            while t.isDigit(at: j) && n <= 6 {
                digits.append(t[j] - 0x30)
                j += 1
                n += 1
            }
            if n > 6 || digits.count > 19 { return nil }
            // A short group may only be the last one.
            if lastGroup != 0 && lastGroup < 4 { return nil }
            lastGroup = n
        }
        guard (13...19).contains(digits.count), t.isBoundary(after: j) else { return nil }
        return isCard(digits) ? j : nil
    }

    private static func isCard(_ digits: [UInt8]) -> Bool {
        if digits.count == 14 && digits[0] != 3 { return false }
        return luhnIsValid(digits[...])
    }
}
