import ChatbotErrors
import Testing
@testable import ChatbotEngine

@Suite struct TSVSourceTests {
    @Test func groupsRowsByIdInFirstAppearanceOrder() throws {
        let kb = try KnowledgeBaseLoader.load(path: fixturePath("kb.tsv"))
        #expect(kb.items == [
            KnowledgeItem(id: "greeting", questions: ["bonjour", "salut", "coucou"]),
            KnowledgeItem(id: "weather", questions: ["quel temps fait-il"]),
        ])
        #expect(kb.warnings.isEmpty)
    }

    @Test func trimsAndAcceptsBOMAndMissingFinalNewline() throws {
        let kb = try KnowledgeBaseLoader.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(" a \t  Bonjour à tous ".utf8),
                                               fileName: "kb.tsv", format: .tsv)
        #expect(kb.items == [KnowledgeItem(id: "a", questions: ["Bonjour à tous"])])
    }

    @Test func blankLinesAreSkippedButCounted() {
        expectSourceError("a\tq\n\n   \n \t \nbroken\n", .tsv, line: 5, message: "missing tab")
    }

    @Test func malformedRows() {
        expectSourceError("a\tq\nb\n", .tsv, line: 2, message: "missing tab: expected id<TAB>question")
        expectSourceError("a\tq\tr\n", .tsv, line: 1, message: "too many columns (3)")
        expectSourceError("a\tq\n \tq2\n", .tsv, line: 2, message: "empty id")
        expectSourceError("a\tq\r\nb\t \r\n", .tsv, line: 2, message: "empty question for id \"b\"")
    }

    @Test func invalidUTF8NamesTheLine() {
        let bytes = Array("a\tok\nb\tcaf".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let d = sourceError { _ = try KnowledgeBaseLoader.parse(bytes: bytes, fileName: "x.tsv", format: .tsv) }
        #expect(d == SourceDiagnostic(file: "x.tsv", line: 2, message: "invalid UTF-8 (byte offset 5 in the line)"))
    }

    /// Each column is validated on its own: a bad byte on either side of the tab, or in a
    /// line without one, still names the line and its offset in the whole line.
    @Test func invalidUTF8IsFoundInEitherColumn() {
        for (bytes, offset) in [([0x61, 0xFF, 0x09, 0x71] as [UInt8], 1), ([0x61, 0x62, 0x09, 0x71, 0xC3], 4), ([0x71, 0x71, 0xE9, 0x20], 2)] {
            let d = sourceError { _ = try KnowledgeBaseLoader.parse(bytes: Array("a\tok\n".utf8) + bytes, fileName: "x.tsv", format: .tsv) }
            #expect(d == SourceDiagnostic(file: "x.tsv", line: 2, message: "invalid UTF-8 (byte offset \(offset) in the line)"))
        }
    }

    /// Only tabs and (Unicode) spaces: blank, even with more than one tab.
    @Test func aLineOfTabsAndSpacesIsBlank() throws {
        let kb = try parseSource("a\tq\n\t\t\n\u{A0}\t\u{A0}\nb\tr\n", .tsv)
        #expect(kb.items.map(\.id) == ["a", "b"])
        expectSourceError("a\tq\n\tx\ty\n", .tsv, line: 2, message: "too many columns (3)")
    }

    @Test func duplicateQuestionsAreWarnings() throws {
        let kb = try parseSource("a\tBonjour\nb\t  bonjour  \na\tBONJOUR\nc\tau   revoir\nc\tAu revoir\n", .tsv)
        #expect(kb.items.map(\.questions) == [["Bonjour", "BONJOUR"], ["bonjour"], ["au   revoir", "Au revoir"]])
        #expect(kb.warnings == [
            SourceDiagnostic(file: "kb.tsv", line: 2, message: "question \"bonjour\" of id \"b\" also belongs to id \"a\" (line 1)", severity: .warning, code: "question_in_two_items"),
            SourceDiagnostic(file: "kb.tsv", line: 3, message: "duplicate question \"BONJOUR\" for id \"a\" (first at line 1)", severity: .warning, code: "duplicate_question"),
            SourceDiagnostic(file: "kb.tsv", line: 5, message: "duplicate question \"Au revoir\" for id \"c\" (first at line 4)", severity: .warning, code: "duplicate_question"),
        ])
    }
}
