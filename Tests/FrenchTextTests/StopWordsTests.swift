import Testing
@testable import FrenchText

@Suite struct StopWordsTests {
    @Test func snowballListIsComplete() {
        let s = StopWords.snowballFrench
        #expect(s.count == 154)
        for w in ["au", "le", "la", "les", "de", "même", "à", "qu", "l", "d", "étée", "eûmes", "eussent", "celà", "soi", "y"] {
            #expect(s.contains(w), "\(w)")
        }
    }

    @Test func snowballOmissionsAreNotStopWords() {
        // Homonyms of content words that Snowball deliberately leaves out.
        for w in ["son", "été", "étés", "est", "sommes", "fût", "as", "auras", "aura", "avions", "meme", "a"] {
            #expect(!StopWords.snowballFrench.contains(w), "\(w)")
        }
    }

    @Test func customListsAreNormalised() {
        let s = StopWords(words: ["MÊME", "L’", "Straße"])
        #expect(s.words == ["même", "l'", "strasse"])
        #expect(s.contains("même"))
        #expect(!s.contains("MÊME"))  // lookups take the normalised form
    }

    @Test func noneIsEmpty() {
        #expect(StopWords.none.count == 0)
        #expect(!StopWords.none.contains("le"))
    }

    @Test func addingAndRemoving() {
        var s = StopWords.snowballFrench
        s.insert("Comment")
        s.remove("Le")
        #expect(s.contains("comment"))
        #expect(!s.contains("le"))
        #expect(s.count == 154)
        let t = StopWords.snowballFrench.adding(["bonjour", "merci"]).removing(["à"])
        #expect(t.contains("bonjour") && t.contains("merci") && !t.contains("à"))
        #expect(t.count == 155)
        #expect(StopWords.snowballFrench.removing([]) == .snowballFrench)
    }

    @Test func negationsAreKeptByDefault() {
        let a = Analyzer()
        for w in StopWords.negations { #expect(!a.stopWords.contains(w), "\(w)") }
        #expect(a.keepNegations)
        #expect(a.stopWords.count == 150)  // snowball minus ne, n, pas, sans
        let terms = a.terms("je ne peux pas, n’ai jamais rien eu sans aucun code")
        let stemmer = FrenchStemmer()
        for w in ["ne", "pas", "jamais", "rien", "sans", "aucun"] {
            #expect(terms.contains(stemmer.stem(w)), "\(w) in \(terms)")
        }
        #expect(!terms.contains("je") && !terms.contains("eu"))
    }

    @Test func negationsCanBeStopWords() {
        let a = Analyzer(keepNegations: false)
        #expect(a.stopWords == .snowballFrench)
        let flags = a.analyze("je ne peux pas n’ai").map { ($0.token.text, $0.isStopWord) }
        #expect(flags.map(\.0) == ["je", "ne", "peux", "pas", "n'", "ai"])
        #expect(flags.map(\.1) == [true, true, false, true, true, true])
    }

    @Test func keepNegationsOverridesACustomList() {
        let custom = StopWords(words: ["jamais", "le", "rien"])
        #expect(Analyzer(stopWords: custom).stopWords.words == ["le"])
        #expect(Analyzer(stopWords: custom, keepNegations: false).stopWords == custom)
    }

    @Test func analyzerWithoutStopWords() {
        let a = Analyzer(stopWords: .none)
        #expect(a.analyze("le chat et la souris").allSatisfy { !$0.isStopWord })
        #expect(a.terms("le chat").count == 2)
    }
}
