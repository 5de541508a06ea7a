/// Item ids must not contain control characters (Unicode general category Cc: U+0000–U+001F
/// and U+007F–U+009F). A NUL ends a C string, so two ids that differ after it would look the
/// same to the C API and the Python and PHP bindings; tabs and line breaks break the TSV
/// and log outputs. Every source refuses them (`controlCharacterCode`) and so does
/// `Engine.build`, so no index can store one.
package enum ItemID {
    /// The stable diagnostic code of an id holding a control character.
    package static let controlCharacterCode = "id_control_character"

    /// The first control character of `id` and its 1-based position in Unicode scalars.
    package static func firstControlCharacter(_ id: some StringProtocol) -> (scalar: Unicode.Scalar, position: Int)? {
        var position = 0
        for scalar in id.unicodeScalars {
            position += 1
            if isControl(scalar) { return (scalar, position) }
        }
        return nil
    }

    /// Unicode general category Cc.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    /// "U+0000", as the message names a character that cannot be printed.
    package static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The English message of the engine's own formats (TSV, CSV, JSON) and of `Engine.build`,
    /// or nil when the id is clean. The id itself is not echoed: it cannot be printed as is.
    package static func controlCharacterProblem(_ id: some StringProtocol) -> String? {
        guard let (scalar, position) = firstControlCharacter(id) else { return nil }
        let name = scalar.value == 0 ? "NUL (U+0000)" : codePoint(scalar)
        return "the id contains a control character, \(name) at character \(position): ids may not contain NUL, tabs, line breaks or other control characters"
    }
}

/// "A", "B", … "Z", "AA": how a spreadsheet names column `index` (0-based).
package func columnLetter(_ index: Int) -> String {
    var n = index + 1
    var letters: [Character] = []
    while n > 0 {
        let r = (n - 1) % 26
        letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
        n = (n - 1) / 26
    }
    return String(letters)
}
