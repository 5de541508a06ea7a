import ChatbotErrors
import Testing
@testable import FrenchText

/// Normalises raw bytes, returning the error instead of throwing.
func normalizeBytes(_ bytes: [UInt8]) -> Result<String, ChatbotError> {
    bytes.withUnsafeBufferPointer { buf in
        do throws(ChatbotError) { return .success(try Normalizer().normalize(utf8: buf)) } catch { return .failure(error) }
    }
}

@Suite struct NormalizerTests {
    let n = Normalizer()

    @Test func asciiIsLowercasedOnly() {
        #expect(n.normalize("Bonjour, COMMENT ça VA ? 42") == "bonjour, comment ça va ? 42")
        #expect(n.normalize("") == "")
    }

    @Test func nfkcLigaturesAndFullWidth() {
        #expect(n.normalize("ﬁchier ﬂeur") == "fichier fleur")
        #expect(n.normalize("ＡＢＣ１２３") == "abc123")
        #expect(n.normalize("x²") == "x2")
    }

    @Test func caseFolding() {
        #expect(n.normalize("ÉCOLE Élève À") == "école élève à")
        #expect(n.normalize("Straße") == "strasse")
        #expect(n.normalize("ŒUVRE ÇA") == "œuvre ça")
    }

    @Test func combiningSequencesAreComposed() {
        #expect(n.normalize("e\u{301}te\u{301}") == "été")
        #expect(n.normalize("E\u{301}") == "é")
    }

    @Test func apostrophesAreUnified() {
        for a in ["\u{2019}", "\u{2018}", "\u{02BC}", "\u{2032}", "\u{201B}", "\u{FF07}", "`", "\u{B4}"] {
            #expect(n.normalize("l\(a)eau") == "l'eau", "apostrophe U+\(String(a.unicodeScalars.first!.value, radix: 16))")
        }
    }

    @Test func dashesAreUnified() {
        for d in ["\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{FE63}", "\u{FF0D}"] {
            #expect(n.normalize("a\(d)b") == "a-b", "dash U+\(String(d.unicodeScalars.first!.value, radix: 16))")
        }
    }

    @Test func spacesAndIgnorables() {
        #expect(n.normalize("1\u{A0}234\u{202F}567") == "1 234 567")
        #expect(n.normalize("inter\u{AD}net") == "internet")  // soft hyphen is default-ignorable
    }

    @Test func accentsAreKept() {
        #expect(n.normalize("Accès réservé") == "accès réservé")
    }

    @Test func bytesEntryPointMatchesStringEntryPoint() {
        let s = "L’Été — ﬁn à 20 % ! 😀"
        #expect(normalizeBytes(Array(s.utf8)) == .success(n.normalize(s)))
    }

    @Test(arguments: [
        ([0x61, 0x80] as [UInt8], 1),                  // lone continuation byte
        ([0xBF], 0),                                   // lone continuation at start
        ([0x61, 0x62, 0xE2, 0x82], 2),                 // truncated at end of input
        ([0xE2, 0x82, 0x41], 0),                       // truncated before ASCII
        ([0xF0, 0x9F, 0x98], 0),                       // truncated 4-byte
        ([0xC0, 0xAF], 0),                             // overlong 2-byte '/'
        ([0xC1, 0x81], 0),                             // overlong 2-byte 'A'
        ([0x61, 0xE0, 0x80, 0xAF], 1),                 // overlong 3-byte
        ([0xF0, 0x80, 0x80, 0xAF], 0),                 // overlong 4-byte
        ([0x61, 0x62, 0xED, 0xA0, 0x80], 2),           // UTF-16 surrogate U+D800
        ([0xED, 0xBF, 0xBF], 0),                       // surrogate U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], 0),                 // above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], 0),                 // never-valid lead byte
        ([0xFF], 0),
        (Array("aaaaaaaaaaaaaaaaaaaa".utf8) + [0x80], 20),  // after the 8-byte ASCII fast path
        (Array("été ".utf8) + [0xC3], 6),              // after valid multi-byte text
    ])
    func invalidUTF8IsAnErrorWithItsOffset(bytes: [UInt8], offset: Int) {
        #expect(normalizeBytes(bytes) == .failure(.invalidUTF8(byteOffset: offset)))
        let first = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset(in: $0) }
        #expect(first == offset)
        #expect(ChatbotError.invalidUTF8(byteOffset: offset).description == "invalid UTF-8 at byte offset \(offset)")
    }

    @Test func validEdgeSequencesPass() {
        let samples: [[UInt8]] = [[], [0x7F], [0xC2, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
                                  [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]]
        for s in samples {
            #expect(s.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset(in: $0) } == nil, "\(s)")
            #expect(throws: Never.self) { try s.withUnsafeBufferPointer { try UTF8Validation.validate($0) } }
        }
        #expect(throws: ChatbotError.invalidUTF8(byteOffset: 0)) {
            try [UInt8]([0x80]).withUnsafeBufferPointer { try UTF8Validation.validate($0) }
        }
    }

    @Test func accentFolding() {
        #expect(foldAccents("éèêëàâäîïôöùûüÿç") == "eeeeaaaiioouuuyc")
        #expect(foldAccents("ÉCOLE Ça") == "ECOLE Ca")
        #expect(foldAccents("œuvre cœur Œ æ Æ") == "oeuvre coeur OE ae AE")
        #expect(foldAccents("øđł") == "odl")
        #expect(foldAccents("e\u{301}te\u{301}") == "ete")       // decomposed input
        #expect(foldAccents("ờ ậ") == "o a")                     // three-byte precomposed letters
        #expect(foldAccents("한국") == "한국")                     // Hangul recomposed, unchanged
        #expect(foldAccents("plain ascii") == "plain ascii")
        #expect(foldAccents("") == "")
    }

    /// Issue 13: runs of combining marks are capped at Unicode's stream-safe 30, so that
    /// canonical reordering stays linear (200 KB of alternating marks took 28 s).
    @Test func runsOfCombiningMarksAreCapped() {
        let marks = String(repeating: "\u{0316}\u{0301}", count: 50)
        let normalized = Normalizer().normalize("a" + marks + " b")
        let scalars = Array(normalized.unicodeScalars)
        // "a" + U+0301 compose into "á"; at most 30 marks in all follow the first letter.
        let run = scalars.dropFirst().prefix { $0.properties.generalCategory == .nonspacingMark }
        #expect(run.count <= maxCombiningMarks, "\(run.count) marks kept")
        #expect(normalized.hasSuffix(" b"))
        // A run at the very start, with no base letter, is capped too.
        #expect(Normalizer().normalize(String(repeating: "\u{0316}", count: 100)).unicodeScalars.count <= maxCombiningMarks + 1)
        // French accents and a normal handful of marks are untouched.
        #expect(Normalizer().normalize("e\u{0301}te\u{0301}") == "été")
        let ten = "x" + String(repeating: "\u{0323}", count: 10)
        #expect(Normalizer().normalize(ten).unicodeScalars.count == 11)
    }
}
