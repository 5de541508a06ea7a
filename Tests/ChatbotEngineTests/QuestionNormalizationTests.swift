import Testing
@testable import ChatbotEngine

/// `KnowledgeBaseBuilder.normalized` (the key of the duplicate-question warnings) lowers
/// Latin-1 letters by a table of its own; it must agree with Unicode's lowercase mapping.
@Suite struct QuestionNormalizationTests {
    @Test func latinOneLowersAsUnicodeDoes() {
        for value in UInt32(0x80)...0x24F {
            let scalar = Unicode.Scalar(value)!
            guard !scalar.isWhitespaceQuickly else { continue }
            let text = "a" + String(Character(scalar))
            #expect(KnowledgeBaseBuilder.normalized(text) == Array(("a" + scalar.properties.lowercaseMapping).utf8), "U+\(String(value, radix: 16))")
        }
        #expect(KnowledgeBaseBuilder.normalized("  ÉTÉ  À  Noël ") == Array("été à noël".utf8))
    }
}

extension QuestionNormalizationTests {
    /// The byte-level path for ASCII and Latin-1 texts gives what the scalar loop gives.
    @Test func theLatinOnePathAgreesWithTheScalarLoop() {
        var texts = ["", " ", "Quel  JOUR\tférié ?", "\u{A0}Noël\u{85}À  l'ÉTÉ ", "prix × 2 ÷ 3 ß ÿ µ", "ÀÉÎÕÜÝÞ àéîõüýþ"]
        texts += (0x80...0xFF).map { "x" + String(Character(Unicode.Scalar($0)!)) + "Y" }
        for text in texts {
            var copy = text
            let fast = copy.withUTF8 { KnowledgeBaseBuilder.normalizedLatinOne($0) }
            #expect(fast != nil, "'\(text)'")
            var slow: [UInt8] = [], pendingSpace = false
            for scalar in text.unicodeScalars {
                if scalar.isWhitespaceQuickly { pendingSpace = !slow.isEmpty; continue }
                if pendingSpace { slow.append(0x20) }
                pendingSpace = false
                slow += scalar.properties.lowercaseMapping.utf8
            }
            #expect(fast == slow, "'\(text)'")
        }
        var other = "emoji 🙂 et Œuvre"
        #expect(other.withUTF8 { KnowledgeBaseBuilder.normalizedLatinOne($0) } == nil)
        #expect(KnowledgeBaseBuilder.normalized(other) == Array("emoji 🙂 et œuvre".utf8))
    }
}
