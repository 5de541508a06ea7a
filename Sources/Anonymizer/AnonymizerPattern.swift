import ChatbotErrors
/// A host-defined kind of personal data, such as an employee number, masked as `[NAME]`.
///
/// The pattern is a tiny template, one character per character of text:
/// - `#` is one digit `0–9`;
/// - `@` is one ASCII letter, either case;
/// - `\` makes the next character literal (`\#`, `\@`, `\\`);
/// - any other character matches itself exactly (case matters).
///
/// So `"M######"` is an M and six digits, and `"RH-####-@@"` is `RH-2024-AB`. A match must
/// stand on word boundaries: `M123456` is found in "matricule M123456." but not in
/// "XM123456" or "M1234567". The pattern must contain at least one `#` or `@` (a literal
/// word is not personal data) and at most 64 elements. A template rather than a regular
/// expression: it is matched in constant time per position, so the pass stays linear.
public struct AnonymizerPattern: Sendable, Hashable {
    /// The placeholder's name: `[NAME]` replaces each match. `A–Z`, `0–9`, `_`.
    public let name: String
    /// The template, as described above.
    public let pattern: String

    public init(name: String, pattern: String) {
        self.name = name
        self.pattern = pattern
    }
}

/// A validated pattern, as byte-level elements.
struct CompiledPattern: Sendable {
    enum Element: Sendable, Equatable {
        case digit, letter
        case byte(UInt8)
    }

    let name: String
    let elements: [Element]

    static let reservedNames: Set<String> = ["EMAIL", "TELEPHONE", "NIR", "IBAN", "CARTE"]

    init(_ p: AnonymizerPattern) throws(ChatbotError) {
        let nameOK = !p.name.isEmpty && p.name.utf8.count <= 32 && p.name.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || isASCIIDigit($0) || $0 == UInt8(ascii: "_")
        }
        guard nameOK else { throw .invalidName(p.name) }
        guard !Self.reservedNames.contains(p.name) else { throw .reservedName(p.name) }
        var elements: [Element] = []
        var escaped = false
        var classes = 0
        for b in p.pattern.utf8 {
            if escaped {
                elements.append(.byte(b))
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "#") {
                elements.append(.digit); classes += 1
            } else if b == UInt8(ascii: "@") {
                elements.append(.letter); classes += 1
            } else {
                elements.append(.byte(b))
            }
        }
        if escaped { throw .invalidPattern(name: p.name, reason: "ends with a lone backslash") }
        if elements.isEmpty { throw .invalidPattern(name: p.name, reason: "is empty") }
        if classes == 0 { throw .invalidPattern(name: p.name, reason: "has no # (digit) or @ (letter)") }
        if elements.count > 64 { throw .invalidPattern(name: p.name, reason: "is longer than 64 elements") }
        // The main scan only tries patterns where a word starts (or at `+`): the first
        // element must be able to begin there.
        if case .byte(let first) = elements[0], !(isASCIIWord(first) || first == UInt8(ascii: "+")) {
            throw .invalidPattern(name: p.name, reason: "must start with #, @, a letter, a digit or +")
        }
        name = p.name
        self.elements = elements
    }

    /// End of the match starting at `i` (on a word boundary), or nil.
    func match(_ t: TextBytes, at i: Int) -> Int? {
        var j = i
        for e in elements {
            let b = t.at(j)
            switch e {
            case .digit: guard isASCIIDigit(b) else { return nil }
            case .letter: guard isASCIILetter(b) else { return nil }
            case .byte(let c): guard b == c, j < t.count else { return nil }
            }
            j += 1
        }
        return t.isBoundary(after: j) ? j : nil
    }
}
