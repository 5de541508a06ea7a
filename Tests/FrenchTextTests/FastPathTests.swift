import Testing
@testable import FrenchText

/// The analyser's shortcuts (byte-level stop words, stack-built strings, bulk ASCII copies,
/// the normaliser's growable buffers) must give what the plain paths give.
@Suite struct FastPathTests {
    @Test func byteSetHandlesEmptyAndOverlongWords() {
        let withEmpty = ByteStringSet(["", "le", "même"])
        #expect(withEmpty.contains(""))
        #expect(withEmpty.contains("le"))
        #expect(withEmpty.contains("même"))
        #expect(!withEmpty.contains("mêmes"))        // longer than every entry
        #expect(!withEmpty.contains("l"))
        let without = ByteStringSet(["le"])
        #expect(!without.contains(""))
        let nothing = ByteStringSet([String]())
        #expect(!nothing.contains(""))
        #expect(!nothing.contains("le"))
    }

    @Test func normaliserGrowsPastItsFirstGuess() {
        // U+FDFA is 3 bytes and expands to 33 under NFKC: far beyond n + n/8.
        let one = Normalizer().normalize("\u{FDFA}")
        #expect(one.utf8.count > 20)
        let many = String(repeating: "\u{FDFA} ", count: 40)
        #expect(Normalizer().normalize(many) == String(repeating: one + " ", count: 40))
    }

    @Test func asciiRunBeforeACombiningMarkKeepsTheCluster() {
        // "e" + U+0301 is one cluster: the ASCII run must stop before the "e".
        let text = "Cafe\u{301} creme\u{300}"
        #expect(Normalizer().normalize(text) == "café cremè")
        let tokens = Tokenizer().tokenize(text)
        #expect(tokens.map(\.text) == ["café", "cremè"])
        #expect(tokens.map(\.byteRange) == [0..<6, 7..<14])
    }

    @Test func longAndAccentedWordsMatchTheStringPaths() {
        // Words above 15 bytes take the large-string path; accented ones are folded.
        let analyzer = Analyzer()
        let text = "anticonstitutionnellement développements intergouvernementalisées sœurs"
        for t in analyzer.analyze(text) {
            #expect(t.stem == FrenchStemmer().stem(t.token.text), "\(t)")
            #expect(t.term == foldAccents(t.stem), "\(t)")
            #expect(t.folded == foldAccents(t.token.text), "\(t)")
        }
        #expect(analyzer.terms(text) == ["anticonstitutionnel", "developp", "intergouvernementalis", "soeur"])
    }

    @Test func stemmerSharesOrRebuildsItsResult() {
        let s = FrenchStemmer()
        #expect(s.stem("") == "")
        #expect(s.stem("le") == "le")                 // its own stem
        #expect(s.stem("chevaux") == "cheval")        // rewritten, longer than a prefix cut
        #expect(s.stem("maïs") == "maï")              // marker H round trip
    }
}
