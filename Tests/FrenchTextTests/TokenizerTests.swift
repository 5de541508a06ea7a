import ChatbotErrors
import Testing
@testable import FrenchText

/// Token texts of `s`.
func texts(_ s: String) -> [String] { Tokenizer().tokenize(s).map(\.text) }

/// The original bytes of a token's range, as a String.
func source(_ s: String, _ t: Token) -> String {
    String(decoding: Array(s.utf8)[t.byteRange], as: UTF8.self)
}

@Suite struct TokenizerTests {
    let tokenizer = Tokenizer()

    @Test func emptyAndBlankInput() throws {
        #expect(tokenizer.tokenize("").isEmpty)
        #expect(tokenizer.tokenize("   \t ?! … «»").isEmpty)
        let empty: [UInt8] = []
        #expect(try empty.withUnsafeBufferPointer { try tokenizer.tokenize(utf8: $0) }.isEmpty)
    }

    @Test func wordsAreLowercasedAndSplitOnSpacesAndPunctuation() {
        #expect(texts("Comment RÉINITIALISER mon mot de passe?") == ["comment", "réinitialiser", "mon", "mot", "de", "passe"])
        #expect(texts("oui,non;peut(être)") == ["oui", "non", "peut", "être"])
    }

    @Test(arguments: ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"])
    func elisionsAreSplit(elided: String) {
        for apostrophe in ["'", "\u{2019}"] {
            let s = "\(elided)\(apostrophe)abord"
            let tokens = tokenizer.tokenize(s)
            #expect(tokens.map(\.text) == ["\(elided)'", "abord"], "\(s)")
            #expect(tokens.map(\.kind) == [.word, .word])
            #expect(tokens.first?.byteRange == 0..<(elided.utf8.count + apostrophe.utf8.count))
        }
    }

    @Test func elisionExamples() {
        #expect(texts("jusqu'à demain") == ["jusqu'", "à", "demain"])
        #expect(texts("Qu’est-ce qu’il faut ?") == ["qu'", "est", "ce", "qu'", "il", "faut"])
        #expect(texts("L'Été d'après") == ["l'", "été", "d'", "après"])
        #expect(texts("s'il n'y a pas") == ["s'", "il", "n'", "y", "a", "pas"])
    }

    @Test func wordsWithAnApostropheStayWhole() {
        #expect(texts("aujourd'hui aujourd’hui") == ["aujourd'hui", "aujourd'hui"])
        #expect(texts("prud'homme prud'hommes prud'homal prud’homale") ==
                ["prud'homme", "prud'hommes", "prud'homal", "prud'homale"])
        #expect(texts("quelqu'un quelqu'une quelqu'uns") == ["quelqu'un", "quelqu'une", "quelqu'uns"])
        #expect(texts("la presqu'île") == ["la", "presqu'île"])
        #expect(texts("jusqu'aujourd'hui") == ["jusqu'", "aujourd'hui"])
    }

    @Test func otherApostrophesSeparateWords() {
        #expect(texts("o'neill") == ["o", "neill"])
        #expect(texts("les parents' avis") == ["les", "parents", "avis"])
        #expect(texts("l' eau") == ["l", "eau"])  // not an elision without a following letter
    }

    @Test func euphonicTIsDropped() {
        #expect(texts("a-t-il") == ["a", "il"])
        #expect(texts("a-t-elle") == ["a", "elle"])
        #expect(texts("va-t-on") == ["va", "on"])
        #expect(texts("y a-t-il des frais ?") == ["y", "a", "il", "des", "frais"])
        #expect(texts("a‑t‑il") == ["a", "il"])  // non-breaking hyphens
    }

    @Test func invertedPronounsAreSplit() {
        #expect(texts("peut-on") == ["peut", "on"])
        #expect(texts("est-ce") == ["est", "ce"])
        #expect(texts("dit-il") == ["dit", "il"])
        #expect(texts("suis-je") == ["suis", "je"])
        #expect(texts("Pouvez-vous") == ["pouvez", "vous"])
        #expect(texts("donne-moi") == ["donne", "moi"])
        #expect(texts("donne-le-moi") == ["donne", "le", "moi"])
        #expect(texts("allez-y") == ["allez", "y"])
        #expect(texts("prends-en") == ["prends", "en"])
        #expect(texts("sont-ils") == ["sont", "ils"])
        #expect(texts("dis-leur") == ["dis", "leur"])
    }

    @Test func demonstrativeParticlesAreSplit() {
        #expect(texts("celui-ci") == ["celui", "ci"])
        #expect(texts("ce mois-ci") == ["ce", "mois", "ci"])
        #expect(texts("cette fois-là") == ["cette", "fois", "là"])
    }

    @Test func otherHyphenatedWordsStayWhole() {
        #expect(texts("week-end") == ["week-end"])
        #expect(texts("arc-en-ciel") == ["arc-en-ciel"])
        #expect(texts("peut-être") == ["peut-être"])
        #expect(texts("rendez-vous") == ["rendez-vous"])
        #expect(texts("moi-même") == ["moi-même"])
        #expect(texts("là-bas") == ["là-bas"])
        #expect(texts("Aix–en–Provence") == ["aix-en-provence"])  // en dashes unified
    }

    @Test func elisionInsideHyphenatedWords() {
        #expect(texts("va-t'en") == ["va", "t'", "en"])
        #expect(texts("donnez-m'en") == ["donnez", "m'", "en"])
        #expect(texts("c'est-à-dire") == ["c'", "est-à-dire"])
    }

    @Test func hyphensAroundNonLettersAreDropped() {
        #expect(texts("covid-19") == ["covid", "19"])
        #expect(texts("bonjour - merci --") == ["bonjour", "merci"])
    }

    @Test func decimalNumbers() {
        let tokens = tokenizer.tokenize("12,5 et 3.5")
        #expect(tokens.map(\.text) == ["12,5", "et", "3.5"])
        #expect(tokens.map(\.kind) == [.number, .word, .number])
    }

    @Test func thousandsGroups() {
        for space in [" ", "\u{A0}", "\u{202F}", "\u{2009}"] {
            let s = "1\(space)234\(space)567 euros"
            let tokens = tokenizer.tokenize(s)
            #expect(tokens.map(\.text) == ["1234567", "euros"], "separator U+\(String(space.unicodeScalars.first!.value, radix: 16))")
            #expect(tokens.first?.kind == .number)
            #expect(tokens.first?.byteRange == 0..<(7 + 2 * space.utf8.count))
        }
        #expect(texts("1 234,56") == ["1234,56"])
        #expect(texts("en 2024 123 personnes") == ["en", "2024", "123", "personnes"])  // 4-digit first group
        #expect(texts("les 12 1234") == ["les", "12", "1234"])                       // group must be 3 digits
        #expect(texts("1 23") == ["1", "23"])
        #expect(texts("entre 12 et 15") == ["entre", "12", "et", "15"])
    }

    @Test func datesTimesAndOrdinals() {
        #expect(texts("le 14/07/2024 à 10h30") == ["le", "14/07/2024", "à", "10h30"])
        #expect(texts("10:30 1er 2ème") == ["10:30", "1er", "2ème"])
        #expect(Tokenizer().tokenize("10h30").first?.kind == .number)
        #expect(texts("en 2024.") == ["en", "2024"])
    }

    @Test func percentages() {
        let tokens = tokenizer.tokenize("20% ou 20 % ou 20\u{202F}%")
        #expect(tokens.map(\.text) == ["20%", "ou", "20%", "ou", "20%"])
        #expect(tokens.map(\.byteRange) == [0..<3, 4..<6, 7..<11, 12..<14, 15..<21])
        #expect(tokens[0].kind == .number)
    }

    @Test func emailAddresses() {
        let s = "Écrivez à Jean.Dupont+faq@Mairie-Paris.gouv.fr."
        let tokens = tokenizer.tokenize(s)
        #expect(tokens.map(\.text) == ["écrivez", "à", "jean.dupont+faq@mairie-paris.gouv.fr"])
        #expect(tokens.last?.kind == .email)
        #expect(source(s, tokens.last!) == "Jean.Dupont+faq@Mairie-Paris.gouv.fr")
        #expect(texts("a@b pas@valide.") == ["a", "b", "pas", "valide"])  // needs a dotted domain
        #expect(texts("x@y.fr@z") == ["x@y.fr", "z"])
    }

    @Test func urls() {
        let s = "Voir https://www.service-public.fr/particuliers/vosdroits/F1234?x=1, ou http://a.fr/b (www.impots.gouv.fr)."
        let tokens = tokenizer.tokenize(s)
        #expect(tokens.map(\.text) == ["voir", "https://www.service-public.fr/particuliers/vosdroits/f1234?x=1", "ou",
                                       "http://a.fr/b", "www.impots.gouv.fr"])
        #expect(tokens.map(\.kind) == [.word, .url, .word, .url, .url])
        #expect(texts("https://fr.wikipedia.org/wiki/Paris_(France) !") == ["https://fr.wikipedia.org/wiki/paris_(france)"])
        #expect(texts("http:// rien") == ["http", "rien"])
        #expect(texts("wwwx.fr") == ["wwwx", "fr"])
    }

    @Test func punctuationAndEmojiAreDropped() {
        #expect(texts("Merci 😀👍🏽 ! ❤️ «oui» — (non) …") == ["merci", "oui", "non"])
        #expect(texts("👨‍👩‍👧 famille🙂") == ["famille"])
        #expect(texts("prix: 10€ $5") == ["prix", "10", "5"])
    }

    @Test func otherScripts() {
        #expect(texts("Москва 東京 ελληνικά") == ["москва", "東京", "ελληνικά"])
    }

    @Test func offsetsForMultibyteInput() {
        let s = "L’été à Besançon"
        let tokens = tokenizer.tokenize(s)
        #expect(tokens.map(\.text) == ["l'", "été", "à", "besançon"])
        #expect(tokens.map(\.byteRange) == [0..<4, 4..<9, 10..<12, 13..<22])
        #expect(tokens.map { source(s, $0) } == ["L’", "été", "à", "Besançon"])
    }

    @Test func offsetsWhenNormalisationChangesLengths() {
        // ﬁ (3 bytes) → "fi"; full-width Ｗ (3 bytes) → "w"; e + U+0301 (3 bytes) → é (2 bytes); ß → ss.
        let s = "ﬁchier ＷＥＢ cafe\u{301} Straße ok"
        let tokens = tokenizer.tokenize(s)
        #expect(tokens.map(\.text) == ["fichier", "web", "café", "strasse", "ok"])
        #expect(tokens.map { source(s, $0) } == ["ﬁchier", "ＷＥＢ", "cafe\u{301}", "Straße", "ok"])
        #expect(tokens.last?.byteRange == (s.utf8.count - 2)..<s.utf8.count)
    }

    @Test func offsetsOfSplitPartsAndSoftHyphen() {
        let s = "A-t-il vu l’inter\u{AD}net ?"
        let tokens = tokenizer.tokenize(s)
        #expect(tokens.map(\.text) == ["a", "il", "vu", "l'", "internet"])
        #expect(tokens.map { source(s, $0) } == ["A", "il", "vu", "l’", "inter\u{AD}net"])
    }

    @Test func rangesAlwaysMapBackToTheirText() {
        let sentences = [
            "Qu’est-ce que l’Œuvre d’Art ? Peut-on payer 1 234,50 € à 10h30 le 14/07/2024 ?",
            "ÉCRIVEZ-NOUS : contact@exemple.fr ou https://exemple.fr/aide — merci ! 😀",
            "Ｊ’ai ﬁni aujourd’hui ; prud’hommes, quelqu’un, week‑end, arc-en-ciel.",
        ]
        let n = Normalizer()
        for s in sentences {
            for t in tokenizer.tokenize(s) where t.kind != .number {
                #expect(n.normalize(source(s, t)) == t.text, "\(t) in \(s)")
            }
        }
    }

    @Test func invalidUTF8Throws() {
        let bytes: [UInt8] = Array("l'été ".utf8) + [0xED, 0xA0, 0x80]
        #expect(throws: ChatbotError.invalidUTF8(byteOffset: 8)) {
            try bytes.withUnsafeBufferPointer { try Tokenizer().tokenize(utf8: $0) }
        }
    }

    @Test func oneMegabyteLineIsLinear() {
        let sentence = "Qu’est-ce qu’il a dit, a-t-il payé 1 234,5 € à jean@x.fr ? "  // 13 tokens
        let repeats = (1 << 20) / sentence.utf8.count + 1
        let line = String(repeating: sentence, count: repeats)
        #expect(line.utf8.count >= 1 << 20)
        let tokens = tokenizer.tokenize(line)
        #expect(tokens.count == 13 * repeats)
        #expect(tokens.suffix(3).map(\.text) == ["1234,5", "à", "jean@x.fr"])
        #expect(tokens.last?.byteRange.upperBound == line.utf8.count - 3)
    }

    @Test func pathologicalMegabyteInputsStayLinear() {
        let mb = 1 << 20
        // One huge hyphenated compound, e-mail-like runs without '@', and '@'-chains.
        #expect(tokenizer.tokenize(String(repeating: "a-", count: mb / 2) + "vous").count == 2)
        #expect(tokenizer.tokenize(String(repeating: "a.", count: mb / 2)).count == mb / 2)
        #expect(tokenizer.tokenize(String(repeating: "a@", count: mb / 2)).count == mb / 2)
        #expect(tokenizer.tokenize(String(repeating: "1 234 ", count: mb / 6)).allSatisfy { $0.text == "1234" })
        #expect(tokenizer.tokenize(String(repeating: "l'", count: mb / 2) + "x").count == mb / 2 + 1)
        #expect(tokenizer.tokenize("https://" + String(repeating: "a", count: mb)).count == 1)
    }
}
