#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Testing
import Anonymizer

@Suite struct EdgeCaseTests {
    let anonymizer = try! Anonymizer()

    @Test func emptyText() {
        let r = anonymizer.anonymize("")
        #expect(r.text == "")
        #expect(r.redactions.isEmpty)
    }

    @Test func placeholdersAreLeftAsTheyAre() {
        let text = "[EMAIL] [TELEPHONE] [NIR] [IBAN] [CARTE]"
        #expect(anonymizer.anonymize(text) == AnonymizedText(text: text, redactions: []))
        // Anonymising twice changes nothing more.
        let once = anonymizer.anonymize("tél 06 12 34 56 78 ou a.b@exemple.fr").text
        #expect(anonymizer.anonymize(once).text == once)
    }

    @Test func emojiAndAccentsAroundMatches() {
        let r = anonymizer.anonymize("📞06 12 34 56 78📞 ou « jean@exemple.fr » — été")
        #expect(r.text == "📞[TELEPHONE]📞 ou « [EMAIL] » — été")
        // Ranges are UTF-8 byte offsets into the original: the emoji is 4 bytes.
        #expect(r.redactions[0] == Redaction(kind: "TELEPHONE", range: 4..<18))
        let bytes = Array("📞06 12 34 56 78📞 ou « jean@exemple.fr » — été".utf8)
        #expect(String(decoding: bytes[r.redactions[1].range], as: UTF8.self) == "jean@exemple.fr")
        // A letter glued to the number (accented or not) is not a word boundary.
        #expect(anonymizer.anonymize("é0612345678").redactions.isEmpty)
        #expect(anonymizer.anonymize("0612345678é").redactions.isEmpty)
        #expect(anonymizer.anonymize("x0612345678").redactions.isEmpty)
    }

    @Test func phonesInsideLongerRunsAreNotPhones() {
        for text in ["106 12 34 56 78", "06 12 34 56 78 90", "12.06.12.34.56.78", "0612345678901", "+336123456789"] {
            #expect(anonymizer.anonymize(text).redactions.isEmpty, "\(text)")
        }
    }

    @Test func oneMegabyteInLinearTime() {
        let line = "Bonjour, je m'appelle Paul (06 12 34 56 78, paul@exemple.fr), commande 1234 du 12/03/2024.\n"
        let count = 1_000_000 / line.utf8.count + 1
        let text = String(repeating: line, count: count)
        let r = anonymizer.anonymize(text)
        #expect(r.redactions.count == 2 * count)
        #expect(r.text.utf8.count == text.utf8.count - count * (14 + 15 - 11 - 7))
        // Pathological inputs: long runs of digits, of @ and of letters before an @.
        let clock = ContinuousClock()
        // Tests/sanitizers/run.sh stretches time bounds (debug build, 2-15x slower sanitizers).
        let scale = getenv("CB_TEST_TIME_SCALE").flatMap { Int(String(cString: $0)) } ?? 1
        for bad in [String(repeating: "1", count: 1 << 20), String(repeating: "@", count: 1 << 20),
                    String(repeating: "a.", count: 1 << 19) + "@", String(repeating: "a@", count: 1 << 19),
                    String(repeating: "06 ", count: 350_000), String(repeating: "FR76 ", count: 200_000)] {
            let elapsed = clock.measure { _ = anonymizer.anonymize(bad) }
            #expect(elapsed < .seconds(10 * scale), "\(bad.prefix(8))…: \(elapsed)")
        }
    }

    @Test func sendableAcrossTasks() async {
        let a = anonymizer
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { a.anonymize("appelez le 06 12 34 56 78").text } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: "appelez le [TELEPHONE]", count: 8))
    }
}

@Suite struct HostPatternTests {
    @Test func employeeNumber() throws {
        let a = try Anonymizer(patterns: [AnonymizerPattern(name: "MATRICULE", pattern: "M######")])
        #expect(a.anonymize("mon matricule est M123456.").text == "mon matricule est [MATRICULE].")
        #expect(a.anonymize("M1234567 et XM123456 et m123456").redactions.isEmpty)
        #expect(a.anonymize("M123456/M654321").text == "[MATRICULE]/[MATRICULE]")
    }

    @Test func lettersLiteralsAndEscapes() throws {
        let a = try Anonymizer(patterns: [
            AnonymizerPattern(name: "DOSSIER", pattern: "RH-####-@@"),
            AnonymizerPattern(name: "CODE", pattern: "C\\@##"),
        ])
        #expect(a.anonymize("dossier RH-2024-AB ouvert").text == "dossier [DOSSIER] ouvert")
        #expect(a.anonymize("dossier RH-2024-A1 ouvert").redactions.isEmpty)
        #expect(a.anonymize("code C@12 ok").text == "code [CODE] ok")
        #expect(throws: ChatbotError.invalidPattern(name: "B", reason: "must start with #, @, a letter, a digit or +")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "B", pattern: "\\##@")])
        }
    }

    @Test func builtInsComeFirst() throws {
        let a = try Anonymizer(patterns: [AnonymizerPattern(name: "NUM", pattern: "##########")])
        #expect(a.anonymize("0612345678 et 1234567890").text == "[TELEPHONE] et [NUM]")
    }

    @Test func invalidPatternsAreRefused() {
        #expect(throws: ChatbotError.invalidName("matricule")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "matricule", pattern: "M######")])
        }
        #expect(throws: ChatbotError.invalidName("")) { try Anonymizer(patterns: [AnonymizerPattern(name: "", pattern: "#")]) }
        #expect(throws: ChatbotError.reservedName("EMAIL")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "EMAIL", pattern: "@@##")])
        }
        #expect(throws: ChatbotError.duplicateName("A")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "A", pattern: "#"), AnonymizerPattern(name: "A", pattern: "@")])
        }
        #expect(throws: ChatbotError.invalidPattern(name: "A", reason: "is empty")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "A", pattern: "")])
        }
        #expect(throws: ChatbotError.invalidPattern(name: "A", reason: "has no # (digit) or @ (letter)")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "A", pattern: "bonjour")])
        }
        #expect(throws: ChatbotError.invalidPattern(name: "A", reason: "ends with a lone backslash")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "A", pattern: "##\\")])
        }
        #expect(throws: ChatbotError.invalidPattern(name: "A", reason: "must start with #, @, a letter, a digit or +")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "A", pattern: "-###")])
        }
        #expect(throws: ChatbotError.invalidPattern(name: "A", reason: "is longer than 64 elements")) {
            try Anonymizer(patterns: [AnonymizerPattern(name: "A", pattern: String(repeating: "#", count: 65))])
        }
    }
}

/// The README's Swift example, as written there.
@Test func readmeExample() throws {
    let anonymizer = try Anonymizer(patterns: [AnonymizerPattern(name: "MATRICULE", pattern: "M######")])
    let r = anonymizer.anonymize("Mon matricule M123456, tél 06 12 34 56 78")
    #expect(r.text == "Mon matricule [MATRICULE], tél [TELEPHONE]")
    #expect(r.redactions == [Redaction(kind: "MATRICULE", range: 14..<21), Redaction(kind: "TELEPHONE", range: 28..<42)])
}
