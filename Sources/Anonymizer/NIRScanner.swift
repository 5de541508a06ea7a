/// The NIR (numéro d'inscription au répertoire, « numéro de sécurité sociale »): 13
/// characters and a 2-digit key, `S AA MM DD CCC OOO KK`, written with or without single
/// spaces between those groups (each space is optional on its own).
///
/// Accepted: sex digit 1 or 2, and 3, 4, 7, 8 (provisional and foreign-born numbers use
/// them); month 01–12, or 20–42 and 50–99 (INSEE's values for an unknown month); department
/// two digits, or `2A` / `2B` for Corsica. The key must equal 97 − (number mod 97), where
/// 2A counts as 19 and 2B as 18. A number with a wrong key is not masked: it is not a NIR.
enum NIRScanner {
    /// Where a space may stand, as the index of the character it precedes.
    private static let spaceBefore: [Int] = [1, 3, 5, 7, 10, 13]

    static func match(_ t: TextBytes, at i: Int) -> Int? {
        let sex = t[i]
        guard sex == UInt8(ascii: "1") || sex == UInt8(ascii: "2") || sex == UInt8(ascii: "3")
            || sex == UInt8(ascii: "4") || sex == UInt8(ascii: "7") || sex == UInt8(ascii: "8") else { return nil }
        var digits = [UInt8](repeating: 0, count: 15)
        var corsica: UInt8 = 0  // 0, or 19 / 18 for 2A / 2B
        var j = i
        var spaceIndex = 0
        for k in 0..<15 {
            if spaceIndex < spaceBefore.count && spaceBefore[spaceIndex] == k {
                spaceIndex += 1
                if t.at(j) == UInt8(ascii: " ") && k > 0 { j += 1 }
            }
            let c = t.at(j)
            if isASCIIDigit(c) {
                digits[k] = c - 0x30
            } else if k == 6 && digits[5] == 2 && (c | 0x20 == UInt8(ascii: "a") || c | 0x20 == UInt8(ascii: "b")) {
                corsica = c | 0x20 == UInt8(ascii: "a") ? 19 : 18
            } else {
                return nil
            }
            j += 1
        }
        guard t.isBoundary(after: j) else { return nil }
        let month = Int(digits[3]) * 10 + Int(digits[4])
        guard (1...12).contains(month) || (20...42).contains(month) || (50...99).contains(month) else { return nil }
        if corsica != 0 {
            digits[5] = corsica / 10
            digits[6] = corsica % 10
        }
        let key = Int(digits[13]) * 10 + Int(digits[14])
        guard key == nirKey(digits[0..<13]) else { return nil }
        return j
    }
}
