import ChatbotErrors
import Testing
@testable import ChatbotEngine

@Suite struct CSVSourceTests {
    @Test func frenchExcelExport() throws {
        // BOM, ';', CRLF, quoted delimiter, doubled quotes, embedded newline, trailing ;;;; row.
        let kb = try KnowledgeBaseLoader.load(path: fixturePath("faq.csv"))
        #expect(kb.items == [
            KnowledgeItem(id: "conges", category: "RH", questions: ["Comment poser un congé ?", "Je veux poser des vacances"],
                          answer: "Sur le portail RH.", hidden: false, expiresAt: CalendarDate(year: 2027, month: 1, day: 31)),
            KnowledgeItem(id: "badge", category: "Sécurité", questions: ["Badge perdu; que faire ?"],
                          answer: "Appelez l'accueil, poste \"12\".\nMerci."),
        ])
        // "conges" comes back after "badge": joined, but not silently.
        #expect(kb.warnings.map(\.code) == ["id_not_consecutive"])
    }

    @Test func commaDelimiterAnyColumnOrderAndAttributes() throws {
        let kb = try parseSource("""
            Question, ID ,hidden,attr:button,expires_at
            "Où est, la cantine ?",cantine,oui,Plan,2026-12-31
            Le self ?,cantine,,,
            Wifi ?,wifi,0,,
            """, .csv)
        #expect(kb.items == [
            KnowledgeItem(id: "cantine", questions: ["Où est, la cantine ?", "Le self ?"], hidden: true,
                          expiresAt: CalendarDate(year: 2026, month: 12, day: 31), attributes: ["button": "Plan"]),
            KnowledgeItem(id: "wifi", questions: ["Wifi ?"]),
        ])
    }

    @Test func hiddenSpellings() throws {
        for (text, value) in [("true", true), ("FALSE", false), ("1", true), ("0", false), ("Oui", true),
                              ("non", false), ("yes", true), ("no", false), ("vrai", true), ("faux", false), ("", false)] {
            let kb = try parseSource("id,question,hidden\na,q,\(text)\n", .csv)
            #expect(kb.items[0].hidden == value, "\(text)")
        }
        expectSourceError("id,question,hidden\na,q,peut-être\n", .csv, line: 2, message: "invalid hidden value \"peut-être\"")
    }

    @Test func laterRowsMaySetWhatTheFirstLeftEmpty() throws {
        let kb = try parseSource("id;question;answer;hidden\na;q1;;\na;q2;Réponse;1\na;q3;Réponse;true\n", .csv)
        #expect(kb.items == [KnowledgeItem(id: "a", questions: ["q1", "q2", "q3"], answer: "Réponse", hidden: true)])
    }

    @Test func conflictingValuesNameTheLine() {
        expectSourceError("id,question,answer\na,q1,A\nb,q,B\na,q2,other\n", .csv, line: 4,
                          message: "answer \"other\" conflicts with \"A\" given earlier for id \"a\"")
        expectSourceError("id,question,category\na,q1,RH\na,q2,IT\n", .csv, line: 3, message: "category \"IT\" conflicts")
        expectSourceError("id,question,hidden\na,q1,oui\na,q2,non\n", .csv, line: 3, message: "hidden \"non\" conflicts with true")
        expectSourceError("id,question,expires_at\na,q1,2027-01-31\na,q2,01/02/2027\n", .csv, line: 3,
                          message: "expires_at \"01/02/2027\" conflicts with 2027-01-31")
        expectSourceError("id,question,attr:x\na,q1,u\na,q2,v\n", .csv, line: 3, message: "attr:x \"v\" conflicts")
    }

    @Test func sameDateInBothFormatsIsNoConflict() throws {
        let kb = try parseSource("id,question,expires_at\na,q1,2027-01-31\na,q2,31/01/2027\n", .csv)
        #expect(kb.items[0].expiresAt == CalendarDate(year: 2027, month: 1, day: 31))
    }

    @Test func headerErrors() {
        expectSourceError("id,question,answr,colour\n", .csv, line: 1,
                          message: "unknown columns \"answr\", \"colour\"; known: id, question, answer, category, hidden, expires_at, attr:NAME")
        expectSourceError("id;answer\n", .csv, line: 1, message: "missing required column question in the header")
        expectSourceError("answer\n", .csv, line: 1, message: "missing required columns id, question")
        expectSourceError("id,question,ID\n", .csv, line: 1, message: "column \"ID\" appears twice")
        expectSourceError("id,question,attr:a,ATTR:a\n", .csv, line: 1, message: "column \"ATTR:a\" appears twice")
        expectSourceError("id,question,attr: \n", .csv, line: 1, message: "unknown column \"attr:\"; known:")
    }

    @Test func rowErrors() {
        expectSourceError("id,question\na,q,extra\n", .csv, line: 2, message: "too many columns (3), the header has 2")
        expectSourceError("id,question,answer\na,q\n", .csv, line: 2, message: "missing columns (2), the header has 3")
        expectSourceError("id,question\n,q\n", .csv, line: 2, message: "empty id")
        expectSourceError("id,question\na, \n", .csv, line: 2, message: "empty question for id \"a\"")
        expectSourceError("id,question,expires_at\na,q,31/02/2027\n", .csv, line: 2,
                          message: "invalid expires_at \"31/02/2027\": expected an existing day as YYYY-MM-DD or DD/MM/YYYY")
        expectSourceError("id,question,expires_at\na,q,2027-1-5\n", .csv, line: 2, message: "invalid expires_at")
    }

    @Test func quotingErrors() {
        expectSourceError("id,question\na,\"never closed\nb,q\n", .csv, line: 2, message: "unterminated quoted field")
        expectSourceError("id,question\na,\"ok\"x\n", .csv, line: 2, message: "unexpected text after a closing quote in column 2")
        expectSourceError("id,question\na,say \"hi\"\n", .csv, line: 2, message: "quote inside an unquoted field in column 2")
        // The line number follows embedded newlines of earlier records.
        expectSourceError("id,question\na,\"two\nlines\"\nb,\"x\"y\n", .csv, line: 4, message: "unexpected text after a closing quote")
    }

    /// Issue 13: Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR; read as one
    /// line, the file used to give a 2.5 KB "unknown columns" message that dumped it.
    @Test func carriageReturnLineEndings() throws {
        let lf = "id;question;answer\nconges;Comment poser un congé ?;Sur le portail.\nbadge;\"Badge perdu\rque faire ?\";Accueil.\n"
        let cr = String(lf.map { $0 == "\n" ? "\r" : $0 })
        let expected = try parseSource(lf, .csv)
        #expect(try parseSource(cr, .csv) == expected)
        #expect(expected.items.map(\.id) == ["conges", "badge"])
        // Line numbers count lone CRs too: an error on the third record names line 3.
        let broken = "id;question\rconges;ok\rbadge;a \"b\" c\r"
        do {
            _ = try parseSource(broken, .csv)
            Issue.record("accepted")
        } catch {
            #expect((error as? ChatbotError)?.diagnostics.count == 1, "\(error)")
            #expect((error as? ChatbotError)?.diagnostics.first?.line == 3, "\(error)")
        }
    }

    /// Issue 13: a diagnostic quoting a huge cell stays one readable line.
    @Test func aHugeCellIsNotEchoedWhole() throws {
        let huge = String(repeating: "é", count: 1_000_000)
        let d = sourceError { _ = try parseSource("id;question;\(huge)\nconges;ok;x\n", .csv) }
        let message = try #require(d?.message)
        #expect(message.unicodeScalars.count < 600, "\(message.unicodeScalars.count) characters")
        #expect(message.contains("more characters cut"))
        // Short messages are kept whole.
        #expect(SourceDiagnostic(file: "f", line: 1, message: "court").message == "court")
    }

    @Test func quotedEdgeCases() throws {
        let kb = try parseSource("id,question\n\"a\",\"\"\"quoted\"\" \r\nline\"\r\n\"b\",\"x,y\"", .csv)
        #expect(kb.items.map(\.questions) == [["\"quoted\" \r\nline"], ["x,y"]])
        // A trailing delimiter at end of input is an empty last field.
        let kb2 = try parseSource("id,question,answer\na,q,", .csv)
        #expect(kb2.items[0].answer == "")
    }

    @Test func invalidUTF8NamesTheLine() {
        let bytes = Array("id,question\na,\"ok\nfine\"\nb,caf".utf8) + [0xE9] + Array("\n".utf8)
        let d = sourceError { _ = try KnowledgeBaseLoader.parse(bytes: bytes, fileName: "f.csv", format: .csv) }
        #expect(d == SourceDiagnostic(file: "f.csv", line: 4, message: "invalid UTF-8 in column 2 (byte offset 3 in the field)"))
    }

    @Test func duplicateQuestionsAreWarnings() throws {
        let kb = try parseSource("id,question\na,Salut\nb,salut\n", .csv)
        #expect(kb.warnings == [SourceDiagnostic(file: "kb.csv", line: 3, message: "question \"salut\" of id \"b\" also belongs to id \"a\" (line 2)", severity: .warning, code: "question_in_two_items")])
    }
}

@Suite struct CSVIdReuseTests {
    @Test func anIdComingBackAfterOtherItemsIsAWarningNotASilentMerge() throws {
        let kb = try KnowledgeBaseLoader.parse(bytes: Array("id,question\na,Première\nb,Deuxième\na,Troisième\na,Quatrième\n".utf8),
                                               fileName: "kb.csv", format: .csv)
        #expect(kb.items.map(\.questions) == [["Première", "Troisième", "Quatrième"], ["Deuxième"]])
        #expect(kb.warnings.map { "\($0.line) \($0.code) \($0.severity.rawValue)" } == ["4 id_not_consecutive warning"])
    }
}
