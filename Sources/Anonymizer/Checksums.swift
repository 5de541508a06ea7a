/// The check-digit algorithms. Each works on ASCII characters already checked by its scanner.

/// Luhn (ISO/IEC 7812-1), used by payment cards: doubling every second digit from the right.
func luhnIsValid(_ digits: ArraySlice<UInt8>) -> Bool {
    var sum = 0
    var double = false
    for d in digits.reversed() {
        var v = Int(d)
        if double {
            v *= 2
            if v > 9 { v -= 9 }
        }
        sum += v
        double.toggle()
    }
    return sum % 10 == 0
}

/// ISO 7064 mod 97-10 as ISO 13616 applies it to an IBAN: the first four characters move to
/// the end, letters count as 10…35, and the resulting number must be 1 mod 97. `chars` are
/// ASCII letters and digits; the remainder is folded as we go, so no big integers.
func ibanIsValid(_ chars: ArraySlice<UInt8>) -> Bool {
    guard chars.count > 4 else { return false }
    var r = 0
    func add(_ c: UInt8) {
        if isASCIIDigit(c) {
            r = (r * 10 + Int(c - 0x30)) % 97
        } else {
            r = (r * 100 + Int((c | 0x20) - 0x61) + 10) % 97
        }
    }
    let s = chars.startIndex
    for c in chars[(s + 4)...] { add(c) }
    for c in chars[s..<(s + 4)] { add(c) }
    return r == 1
}

/// NIR key: 97 − (the 13-digit number mod 97). Corsica's department letters are handled by
/// the caller, which passes 19 for 2A and 18 for 2B (the official rule).
func nirKey(_ digits: ArraySlice<UInt8>) -> Int {
    var r = 0
    for d in digits { r = (r * 10 + Int(d)) % 97 }
    return 97 - r
}
