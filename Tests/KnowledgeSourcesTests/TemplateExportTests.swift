#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import ChatbotEngine
@testable import KnowledgeSources
import Spreadsheet
import Testing

/// Export to the Usine template and write-back of reviewed questions (`InboxApply`).
@Suite struct TemplateExportTests {
    static let fixtures = SpreadsheetSourceTests.fixtures

    /// A fresh directory holding a copy of the fixture template.
    func temporaryCopy(_ name: String = "template.xlsx", as target: String = "modele.xlsx") throws -> (dir: String, path: String) {
        var template = Array("/tmp/cb-export-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let path = "\(dir)/\(target)"
        try writeFileAtomically(path, bytes: try readFile("\(Self.fixtures)/\(name)"))
        return (dir, path)
    }

    func files(in dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func sameItems(_ a: KnowledgeBase, _ b: KnowledgeBase) {
        #expect(a.items.map(\.id) == b.items.map(\.id))
        for (x, y) in zip(a.items, b.items) {
            #expect(x.questions == y.questions, "\(x.id)")
            #expect(x.messages == y.messages, "\(x.id)")
            #expect(x.category == y.category, "\(x.id)")
            #expect(x.expiresAt == y.expiresAt, "\(x.id)")
        }
    }

    @Test func exportingTheTemplateReadsBackTheSameItems() throws {
        let kb = try KnowledgeSource.load(path: "\(Self.fixtures)/template.xlsx")
        let xlsx = try TemplateExport.xlsx(kb)
        let again = try KnowledgeSource.parse(bytes: xlsx, fileName: "export.xlsx", format: .xlsx)
        sameItems(kb, again)
        #expect(again.warnings.isEmpty, "\(again.warnings)")
        // And a second export is byte for byte the same.
        #expect(try TemplateExport.xlsx(again) == xlsx)

        let csv = TemplateExport.csv(kb)
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]))
        sameItems(kb, try KnowledgeSource.parse(bytes: csv, fileName: "export.csv", format: .csv))
    }

    @Test func theHeaderAndRowsAreTheTemplates() throws {
        let kb = try KnowledgeSource.load(path: "\(Self.fixtures)/template.xlsx")
        let sheet = try SpreadsheetReader.read(bytes: TemplateExport.xlsx(kb))
        #expect(sheet.name == "Feuil1")
        #expect(sheet.rows[0].cells.map(\.column) == [0, 1, 2, 3, 4, 6, 7])
        #expect(sheet.rows[0].cells.map(\.value.displayText) == TemplateExport.header.filter { !$0.isEmpty })
        let rows = TemplateExport.rows(kb)
        let conges = try #require(rows.firstIndex { $0.id == "conges" })
        #expect(rows[conges].question == "Comment poser un congé ?")
        #expect(rows[conges].synonyms == "Je veux poser des vacances; poser un jour de congé; prendre des congés")
        #expect(rows[conges].expiry == CalendarDate(year: 2099, month: 12, day: 31))
        #expect(rows[conges + 1] == TemplateExport.Row(type: "Image", answer: "https://intranet.example/conges.png"))
        #expect(rows[conges + 3].type == "Lien")
        #expect(rows[conges + 3].answer == "Ouvrir le portail <https://rh.example>; Les RTT <rtt>")
        // The expiry is a real date cell.
        let dateRow = try #require(sheet.rows.first { $0.value(at: 0) == .text("conges") })
        #expect(dateRow.value(at: 7) == .date(year: 2099, month: 12, day: 31))
        // Reserved items keep an empty Question column.
        #expect(rows.first { $0.id == "phrase_hors_sujet" }?.question == "")
    }

    @Test func anEnginesItemsExportToo() throws {
        let kb = try KnowledgeSource.load(path: "\(Self.fixtures)/template.xlsx")
        let engine = try Engine.build(kb, learning: { var l = LearningOptions(); l.enabled = false; return l }())
        let exported = try TemplateExport.knowledgeBase(of: engine)
        #expect(Set(engine.allItemIDs) == Set(kb.items.map(\.id)))
        let again = try KnowledgeSource.parse(bytes: TemplateExport.xlsx(exported), fileName: "e.xlsx", format: .xlsx)
        let byID = Dictionary(uniqueKeysWithValues: kb.items.map { ($0.id, $0) })
        for item in again.items {
            let original = try #require(byID[item.id])
            #expect(item.questions == original.questions)
            #expect(item.messages == original.messages)
            #expect(item.expiresAt == original.expiresAt)
            #expect(item.category == original.category)
        }
    }

    @Test func addingSkipsWhatTheItemHasAndCreatesTheFallback() throws {
        var kb = KnowledgeBase(items: [KnowledgeItem(id: "conges", questions: ["Comment poser un congé ?"], messages: [.text("Portail.")])])
        let report = InboxApply.add([
            PendingAlternative(id: 1, itemID: "conges", question: "je veux des vacances en août"),
            PendingAlternative(id: 2, itemID: "conges", question: "comment POSER un conge"),
            PendingAlternative(id: 3, itemID: "absent", question: "où est le badge"),
            PendingAlternative(id: 4, itemID: "phrase_hors_sujet", question: "quel temps fait-il ; demain"),
            PendingAlternative(id: 5, itemID: "conges", question: "Je veux des vacances en août !"),
        ], to: &kb)
        #expect(report.added.map(\.id) == [1, 4])
        #expect(report.alreadyPresent.map(\.id) == [2, 5])
        #expect(report.unknownItem.map(\.id) == [3])
        #expect(report.createdFallbackItem)
        #expect(report.appliedIDs == [1, 2, 4, 5])
        #expect(kb.items.map(\.id) == ["phrase_hors_sujet", "conges"])
        #expect(kb.items[0].questions == ["quel temps fait-il , demain"])
        #expect(kb.items[0].messages == [.text(InboxApply.defaultFallbackText)])
        #expect(kb.items[1].questions.last == "je veux des vacances en août")
    }

    @Test func applyingRewritesTheWorkbookAndKeepsABackup() throws {
        let (dir, path) = try temporaryCopy()
        defer { _ = system("rm -rf '\(dir)'") }
        let before = try KnowledgeSource.load(path: path)
        let pending = [
            PendingAlternative(id: 10, itemID: "conges", question: "je voudrais des vacances en août"),
            PendingAlternative(id: 11, itemID: "rtt", question: "combien de jours de RTT cette année"),
            PendingAlternative(id: 12, itemID: "phrase_hors_sujet", question: "qui a gagné le match hier"),
        ]
        let report = try InboxApply.apply(pending, toSource: path, nowMilliseconds: 1_800_000_000_000)
        #expect(report.added.count == 3)
        #expect(!report.createdFallbackItem)
        #expect(report.backupPath == "\(path).bak-20270115-080000")
        #expect(files(in: dir) == ["modele.xlsx", "modele.xlsx.bak-20270115-080000"])
        #expect(try readFile(report.backupPath!) == readFile("\(Self.fixtures)/template.xlsx"))

        let after = try KnowledgeSource.load(path: path)
        #expect(after.warnings.isEmpty, "\(after.warnings)")
        #expect(after.items.map(\.id) == before.items.map(\.id))
        for (a, b) in zip(before.items, after.items) {
            #expect(a.messages == b.messages)
            #expect(a.expiresAt == b.expiresAt)
            let added = pending.filter { $0.itemID == a.id }.map(\.question)
            #expect(b.questions == a.questions + added, "\(a.id)")
        }

        // Applying the same questions again adds nothing and leaves the file alone.
        let again = try InboxApply.apply(pending, toSource: path, nowMilliseconds: 1_800_000_001_000)
        #expect(again.added.isEmpty)
        #expect(again.alreadyPresent.map(\.id) == [10, 11, 12])
        #expect(again.backupPath == nil)
        #expect(files(in: dir).count == 2)
    }

    @Test func applyingKeepsEachSourceFormat() throws {
        let pending = [PendingAlternative(id: 1, itemID: "conges", question: "je voudrais des vacances, en août"),
                       PendingAlternative(id: 2, itemID: "phrase_hors_sujet", question: "quelle heure est-il"),]
        // The template's CSV export.
        let (dir, _) = try temporaryCopy()
        defer { _ = system("rm -rf '\(dir)'") }
        let kb = try KnowledgeSource.load(path: "\(dir)/modele.xlsx")
        let csvPath = "\(dir)/modele.csv"
        try writeFileAtomically(csvPath, bytes: TemplateExport.csv(kb))
        _ = try InboxApply.apply(pending, toSource: csvPath)
        let csv = try readFile(csvPath)
        #expect(CSVTemplateSource.isTemplate(csv))
        let csvKB = try KnowledgeSource.load(path: csvPath)
        #expect(csvKB.items.first { $0.id == "conges" }?.questions.last == "je voudrais des vacances, en août")
        #expect(csvKB.items.first { $0.id == "phrase_hors_sujet" }?.questions.last == "quelle heure est-il")

        // TSV (no phrase_hors_sujet: it is created).
        let tsvPath = "\(dir)/kb.tsv"
        try writeFileAtomically(tsvPath, bytes: Array("conges\tComment poser un congé ?\nrtt\tCombien de RTT ?\n".utf8))
        let tsvReport = try InboxApply.apply(pending, toSource: tsvPath)
        #expect(tsvReport.createdFallbackItem)
        #expect(String(decoding: try readFile(tsvPath), as: UTF8.self)
                == "phrase_hors_sujet\tquelle heure est-il\nconges\tComment poser un congé ?\nconges\tje voudrais des vacances, en août\nrtt\tCombien de RTT ?\n")

        // JSON keeps every field.
        let jsonPath = "\(dir)/kb.json"
        try writeFileAtomically(jsonPath, bytes: Array("""
            {"items": [{"id": "conges", "category": "RH", "question": "Comment poser un congé ?", "hidden": true,
              "expires_at": "2030-01-31", "attributes": {"service": "RH"},
              "messages": [{"type": "text", "text": "Portail"}, {"type": "buttons", "buttons": [{"title": "Ouvrir", "url": "https://rh"}]}]}]}
            """.utf8))
        let jsonBefore = try KnowledgeSource.load(path: jsonPath)
        _ = try InboxApply.apply(pending, toSource: jsonPath)
        let jsonAfter = try KnowledgeSource.load(path: jsonPath)
        var expected = jsonBefore.items[0]
        expected.questions.append("je voudrais des vacances, en août")
        #expect(jsonAfter.items.first { $0.id == "conges" } == expected)
        #expect(jsonAfter.items.first { $0.id == "phrase_hors_sujet" }?.questions == ["quelle heure est-il"])

        // .ods is refused, with the way out.
        do {
            _ = try InboxApply.apply(pending, toSource: "\(Self.fixtures)/template.ods")
            Issue.record("an .ods source was rewritten")
        } catch {
            #expect(error.kind == .invalidSource && error.diagnostics.count == 1, "\(error)")
            let d = try #require(error.diagnostics.first)
            #expect(d.code == "ods_write_back")
            #expect(d.message.contains(".xlsx"))
        }
    }

    @Test func applyAndRebuildWritesTheSourceThenRebuildsTheIndexWarm() throws {
        let (dir, path) = try temporaryCopy()
        defer { _ = system("rm -rf '\(dir)'") }
        let index = "\(dir)/modele.cbindex"
        let (engine, _) = try Engine.build(sourcePath: path, synonymsPath: nil)
        try writeFileAtomically(index, bytes: engine.indexBytes)
        let question = "je souhaite déposer une demande d'absence"
        let before = try engine.match(question)
        #expect(!(before.decision == .answer && before.matches.first?.id == "conges"))

        let pending = [PendingAlternative(id: 7, itemID: "conges", question: question),
                       PendingAlternative(id: 8, itemID: "no_such_item", question: "une question orpheline")]
        var seen: [Int64] = []
        let result = try InboxApply.applyAndRebuild(pending, toSource: path, index: index, nowMilliseconds: 1_800_000_000_000) {
            seen = $0.appliedIDs
            return $0.appliedIDs.count
        }
        #expect(seen == [7])
        #expect(result.marked == 1 && result.pendingCount == 2)
        #expect(result.report.added.map(\.id) == [7] && result.report.unknownItem.map(\.id) == [8])
        #expect(result.report.backupPath == "\(path).bak-20270115-080000")
        let rebuild = try #require(result.rebuild)
        #expect(rebuild.path == index && rebuild.warmStart && rebuild.milliseconds >= 0)
        #expect(files(in: dir) == ["modele.cbindex", "modele.xlsx", "modele.xlsx.bak-20270115-080000"])
        let fresh = try Engine(contentsOf: index)
        #expect(fresh.questionCount == engine.questionCount + 1)
        let answer = try fresh.match(question)
        #expect(answer.decision == .answer && answer.matches.first?.id == "conges")

        // The JSON report names the same facts.
        let json = result.jsonValue.serialized()
        #expect(json.contains("\"applied\":1") && json.contains("\"warm_start\":true") && json.contains("\"no_such_item\""))

        // Nothing to apply: nothing written, no callback, no rebuild.
        let none = try InboxApply.applyAndRebuild([], toSource: path, index: index) { _ in Issue.record("called"); return 0 }
        #expect(none.rebuild == nil && none.report.backupPath == nil)
        #expect(files(in: dir).count == 3)
    }

    @Test func applyAndRebuildRefusesBadTargets() throws {
        let (dir, path) = try temporaryCopy()
        defer { _ = system("rm -rf '\(dir)'") }
        let pending = [PendingAlternative(id: 1, itemID: "conges", question: "une question")]
        func refused(_ source: String, _ index: String?) -> String? {
            do {
                _ = try InboxApply.applyAndRebuild(pending, toSource: source, index: index) { _ in 0 }
                return nil
            } catch {
                return error.kind == .invalidArgument ? error.message : "unexpected \(error)"
            }
        }
        #expect(refused("\(Self.fixtures)/template.ods", nil)?.contains("not supported yet") == true)
        #expect(refused(path, path)?.contains("is the source itself") == true)
        let other = "\(dir)/notes.txt"
        try writeFileAtomically(other, bytes: Array("notes".utf8))
        #expect(refused(path, other)?.contains("not a compiled index") == true)
        let index = "\(dir)/modele.cbindex"
        try writeFileAtomically(index, bytes: try Engine.build(sourcePath: path, synonymsPath: nil).0.indexBytes)
        #expect(refused(index, nil)?.contains("compiled index") == true)
        #expect(files(in: dir) == ["modele.cbindex", "modele.xlsx", "notes.txt"])
    }

    @Test func exportRefusesWhatItMustNotOverwrite() throws {
        let (dir, path) = try temporaryCopy()
        defer { _ = system("rm -rf '\(dir)'") }
        let out = "\(dir)/export.xlsx"
        #expect(TemplateExport.refusal(output: out, input: path, overwrite: false) == nil)
        let kb = try TemplateExport.export(path, to: out, overwrite: false)
        #expect(try KnowledgeSource.load(path: out).items.map(\.id) == kb.items.map(\.id))
        #expect(TemplateExport.refusal(output: out, input: path, overwrite: false) == .exists)
        #expect(TemplateExport.refusal(output: out, input: path, overwrite: true) == nil)
        #expect(TemplateExport.refusal(output: out, input: out, overwrite: true) == .isInput)
        #expect(TemplateExport.refusal(output: "\(dir)/x.ods", input: path, overwrite: true) == .unsupportedExtension)
        #expect(throws: ChatbotError.self) { try TemplateExport.export(path, to: out, overwrite: false) }
    }
}
