import ChatbotErrors
import Testing
@testable import FrenchText

/// Analyses raw bytes, returning the error instead of throwing.
func analyzeBytes(_ bytes: [UInt8], _ analyzer: Analyzer = Analyzer()) -> Result<[AnalyzedToken], ChatbotError> {
    bytes.withUnsafeBufferPointer { buf in
        do throws(ChatbotError) { return .success(try analyzer.analyze(utf8: buf)) } catch { return .failure(error) }
    }
}

@Suite struct AnalyzerTests {
    let analyzer = Analyzer()
    let stemmer = FrenchStemmer()

    @Test func emptyLine() {
        #expect(analyzer.analyze("").isEmpty)
        #expect(analyzer.terms("").isEmpty)
        #expect(analyzeBytes([]) == .success([]))
    }

    @Test func chainOnWords() {
        // Whatever the stemmer does, the chain is: stem the normalised accented word,
        // then fold the stem's accents.
        for t in analyzer.analyze("Accès à l’École : les ÉLÈVES réservés") where t.token.kind == .word {
            let word = t.token.text
            let full = word.hasSuffix("'") ? t.stem : word
            #expect(t.stem == stemmer.stem(full), "\(t)")
            #expect(t.term == foldAccents(t.stem), "\(t)")
            #expect(t.folded == foldAccents(full), "\(t)")
        }
        let words = analyzer.analyze("Accès réservés ÉLÈVES").map(\.token.text)
        #expect(words == ["accès", "réservés", "élèves"])
    }

    @Test func accentsAreFoldedAfterStemming() {
        let t = analyzer.analyze("accès")[0]
        #expect(t.stem == stemmer.stem("accès"))          // the stemmer saw the accent
        #expect(!t.term.contains("è"))
        #expect(t.folded == "acces")
    }

    @Test func stopWordsAreCheckedOnTheAccentedForm() {
        let tokens = analyzer.analyze("à a été même meme")
        #expect(tokens.map(\.isStopWord) == [true, false, false, true, false])
    }

    @Test func elidedWordsUseTheirFullForm() {
        let tokens = analyzer.analyze("L’avion qu’il n’a jusqu’à")
        let elided = tokens.filter { $0.token.text.hasSuffix("'") }
        #expect(elided.map(\.token.text) == ["l'", "qu'", "n'", "jusqu'"])
        #expect(elided.map(\.folded) == ["le", "que", "ne", "jusque"])
        #expect(elided.map(\.stem) == ["le", "que", "ne", "jusque"].map(stemmer.stem))
        #expect(elided.map(\.isStopWord) == [true, true, false, false])  // n' is a kept negation
        // "n'" and "ne" give the same term.
        #expect(analyzer.terms("n’importe") == analyzer.terms("ne importe"))
    }

    @Test func numbersEmailsAndUrlsAreNotStemmed() {
        let tokens = analyzer.analyze("1 234,5 € le 14/07/2024 à Contact@Exemple.fr www.Exemple.fr/Règles")
        let special = tokens.filter { $0.token.kind != .word }
        #expect(special.map(\.token.kind) == [.number, .number, .email, .url])
        for t in special {
            #expect(t.stem == t.token.text)
            #expect(t.term == t.token.text)
            #expect(!t.isStopWord)
        }
        #expect(special.map(\.term) == ["1234,5", "14/07/2024", "contact@exemple.fr", "www.exemple.fr/règles"])
        #expect(special.last?.folded == "www.exemple.fr/regles")
    }

    @Test func termsAreTheNonStopTermsInOrder() {
        let tokens = analyzer.analyze("Comment puis-je réinitialiser mon mot de passe ?")
        #expect(analyzer.terms("Comment puis-je réinitialiser mon mot de passe ?") ==
                tokens.filter { !$0.isStopWord }.map(\.term))
        #expect(tokens.filter(\.isStopWord).map(\.token.text) == ["je", "mon", "de"])
    }

    @Test func bytesAndStringEntryPointsAgree() {
        let s = "Qu’est-ce qu’un rendez-vous ? Ｊ’ai ﬁni à 10h30 😀"
        #expect(analyzeBytes(Array(s.utf8)) == .success(analyzer.analyze(s)))
    }

    @Test func invalidUTF8IsAThrownError() {
        #expect(analyzeBytes(Array("été".utf8) + [0x80]) == .failure(.invalidUTF8(byteOffset: 5)))
        #expect(analyzeBytes([0x61, 0x20, 0xC3]) == .failure(.invalidUTF8(byteOffset: 2)))
        #expect(analyzeBytes([0xF0, 0x82, 0x82, 0xAC]) == .failure(.invalidUTF8(byteOffset: 0)))
        #expect(analyzeBytes([0xED, 0xB0, 0x80]) == .failure(.invalidUTF8(byteOffset: 0)))
    }

    @Test func offsetsSurviveTheWholeChain() {
        let s = "Ｅｓｔ-ce l’été ?"
        let tokens = analyzer.analyze(s)
        #expect(tokens.map(\.token.text) == ["est", "ce", "l'", "été"])
        #expect(tokens.map { source(s, $0.token) } == ["Ｅｓｔ", "ce", "l’", "été"])
    }

    @Test func normalizeIsWholeText() {
        #expect(analyzer.normalize("L’ÉTÉ — ﬁn !") == "l'été - fin !")
        #expect(analyzer.normalize("") == "")
    }

    @Test func megabyteLine() {
        let sentence = "Je n’arrive pas à me connecter, pouvez-vous m’aider ? "  // 11 tokens, 6 of them terms
        let repeats = (1 << 20) / sentence.utf8.count + 1
        let tokens = analyzer.analyze(String(repeating: sentence, count: repeats))
        #expect(tokens.count == 11 * repeats)
        #expect(tokens.filter { !$0.isStopWord }.count == 6 * repeats)
    }
}
