#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import ChatbotEngine
@testable import KnowledgeSources
import Testing

/// The Usine template in real workbooks, written by openpyxl and odfpy
/// (`Tests/Fixtures/usine/generate.py`): the same base from `.xlsx` and `.ods`.
@Suite struct SpreadsheetSourceTests {
    static let fixtures: String = {
        // #filePath is …/Tests/KnowledgeSourcesTests/SpreadsheetSourceTests.swift.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Fixtures/usine"
    }()

    func load(_ name: String) throws -> KnowledgeBase { try KnowledgeSource.load(path: "\(Self.fixtures)/\(name)") }

    @Test(arguments: ["template.xlsx", "template.ods"])
    func theTemplateReadsTheSameFromBothWorkbookFormats(_ name: String) throws {
        let kb = try load(name)
        #expect(kb.items.map(\.id) == ["phrase_presentation", "phrase_hors_sujet", "phrase_feedback", "conges", "rtt",
                                       "rtt_details", "12345", "st_merci"])
        let conges = kb.items[3]
        #expect(conges.questions == ["Comment poser un congé ?", "Je veux poser des vacances", "poser un jour de congé", "prendre des congés"])
        // A real date cell and a text date.
        #expect(conges.expiresAt == CalendarDate(year: 2099, month: 12, day: 31))
        #expect(kb.items[4].expiresAt == CalendarDate(year: 2098, month: 12, day: 31))
        #expect(conges.messages == [
            .text("Sur le portail RH, rubrique Absences."),
            .image(url: "https://intranet.example/conges.png"),
            .text("Pour aller plus loin :"),
            .buttons([Button(title: "Ouvrir le portail", target: .url("https://rh.example")), Button(title: "Les RTT", target: .item("rtt"))]),
        ])
        #expect(kb.items[4].messages.last == .quickReplies([Button(title: "Oui", target: .item("rtt_details")),
                                                            Button(title: "Non merci", target: .item("phrase_feedback"))]))
        // Multi-line text: the blank line collapses to one line break.
        #expect(kb.items[0].messages[1] == .text("Posez-moi vos questions sur les congés,\nles RTT et le badge."))
        // A numeric ID cell is the text "12345".
        #expect(kb.items[6].questions.first == "J'ai perdu mon badge")
        #expect(kb.items[5].questions.isEmpty)
        #expect(kb.warnings.isEmpty, "\(kb.warnings)")
    }

    @Test func everyFaultyRowOfAWorkbookIsReported() {
        do {
            _ = try load("errors.xlsx")
            Issue.record("accepted")
        } catch let report as ChatbotError {
            #expect(report.errors.map { "\($0.line) \($0.code)" } == [
                "2 missing_id", "4 missing_type", "5 needs_text_before", "6 missing_answer", "7 invalid_expiry",
            ])
            #expect(report.warnings.contains { $0.line == 8 && $0.code == "no_category" })
            #expect(report.warnings.contains { $0.line == 8 && $0.code == "no_alternatives" })
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func anEncryptedWorkbookIsRefusedClearly() {
        do {
            _ = try load("encrypted.xlsx")
            Issue.record("accepted")
        } catch let report as ChatbotError {
            #expect(report.diagnostics.map(\.code) == ["encrypted"])
            #expect(report.diagnostics[0].message.contains("mot de passe"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aWorkbookWithoutTheTemplatesHeaderIsRefused() throws {
        // A TSV-like first row in a workbook is not the template.
        let bytes = try readFile("\(Self.fixtures)/template.xlsx")
        #expect(KnowledgeSource.detect(bytes) == .xlsx)
        do {
            _ = try KnowledgeSource.parse(bytes: Array("not a zip".utf8), fileName: "x.xlsx", format: .xlsx)
            Issue.record("accepted")
        } catch let report {
            #expect(report.diagnostics.map(\.code) == ["not_a_workbook"])
        }
    }

    @Test func anUnsupportedExtensionIsRefusedByName() throws {
        let refused = #expect(throws: ChatbotError.self) { try KnowledgeSource.load(path: "\(Self.fixtures)/generate.py") }
        #expect(refused?.diagnostics.map(\.line) == [0])
        let xls = "/tmp/chatbot-legacy-\(UInt32.random(in: 0...UInt32.max)).xls"
        try writeFileAtomically(xls, bytes: [0xD0, 0xCF, 0x11, 0xE0])
        defer { unlink(xls) }
        #expect(throws: ChatbotError.diagnostic(file: xls, line: 0,
                                         message: "Le format .xls (Excel 97-2003) n'est pas pris en charge : ouvrez le fichier dans Excel et enregistrez-le au format .xlsx.",
                                         code: "legacy_xls")) { try KnowledgeSource.load(path: xls) }
    }

    @Test func theSmallTalkPackMergesWithoutOverridingTheBase() throws {
        let kb = try load("template.xlsx")
        let merged = SmallTalkPack.merged(into: kb)
        #expect(merged.items.prefix(kb.items.count).map(\.id) == kb.items.map(\.id))
        #expect(merged.items.count > kb.items.count + 30)
        #expect(merged.items.dropFirst(kb.items.count).allSatisfy { $0.id.hasPrefix("st_") && $0.category == SmallTalkPack.category })
        // The base's own st_merci wins over the pack's.
        #expect(merged.items.filter { $0.id == "st_merci" }.count == 1)
        #expect(merged.items.first { $0.id == "st_merci" }?.messages == [.text("Avec plaisir !")])
        #expect(Set(SmallTalkPack.entries.map(\.id)).count == SmallTalkPack.entries.count)
    }
}
