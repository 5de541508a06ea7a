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

    /// A row whose id column repeats the previous row's, byte for byte, skips decoding the id
    /// again (issue 15): its question is still checked as any other's, and an id column that
    /// differs only by spaces, or that comes back after another item, is the same item.
    @Test func aRowWithThePreviousRowsIdIsCheckedLikeAnyOther() throws {
        expectSourceError("a\tq\na\tr\ts\n", .tsv, line: 2, message: "too many columns (3)")
        expectSourceError("a\tq\na\t  \n", .tsv, line: 2, message: "empty question for id \"a\"")
        let bytes = Array("a\tok\na\tcaf".utf8) + [0xC3, 0x28]
        let d = sourceError { _ = try KnowledgeBaseLoader.parse(bytes: bytes, fileName: "x.tsv", format: .tsv) }
        #expect(d == SourceDiagnostic(file: "x.tsv", line: 2, message: "invalid UTF-8 (byte offset 5 in the line)"))
        let kb = try parseSource("a\tq1\na\tq2\n a \tq3\nb\tq4\na\tq5\na\tq6\n\t\na\tq7\n", .tsv)
        #expect(kb.items == [KnowledgeItem(id: "a", questions: ["q1", "q2", "q3", "q5", "q6", "q7"]),
                             KnowledgeItem(id: "b", questions: ["q4"])])
        #expect(kb.sourceOrder.map(\.item) == [0, 0, 0, 1, 0, 0, 0])
    }

    /// The duplicate check over thousands of questions, in ASCII, Latin-1 and beyond: every
    /// repeat is reported once, against its first line.
    @Test func duplicatesAreFoundAmongThousandsOfQuestions() throws {
        var text = ""
        var expected: [Int] = []
        var line = 0
        for n in 0..<3000 {
            let question = ["question \(n)", "Été n° \(n)", "œuvre 🙂 \(n)"][n % 3]
            line += 1
            text += "item\(n % 7)\t\(question)\n"
            if n % 5 == 0 {
                line += 1
                text += "item\(n % 7)\t  \(question.uppercased())\n"
                expected.append(line)
            }
        }
        let kb = try parseSource(text, .tsv)
        #expect(kb.items.reduce(0) { $0 + $1.questions.count } == line)
        #expect(kb.warnings.map(\.line) == expected)
        #expect(kb.warnings.allSatisfy { $0.code == "duplicate_question" && $0.message.hasSuffix("(first at line \($0.line - 1))") })
    }

    /// Unreserved, the table grows many times; what was seen stays found, with its first
    /// item and line, and a repeat leaves no trace.
    @Test func seenQuestionsKeepEveryFirstOccurrenceAsTheyGrow() {
        var seen = SeenQuestions()
        let texts = (0..<5000).map { "q \($0 * 7919 % 5000)" }
        for (i, text) in texts.enumerated() {
            #expect(seen.insert(item: i % 13, line: i + 1) { $0 += text.utf8 } == nil)
        }
        var allFound = true
        for (i, text) in texts.enumerated().reversed() {
            let first = seen.insert(item: 99, line: 0) { $0 += text.utf8 }
            allFound = allFound && first?.item == i % 13 && first?.line == i + 1
        }
        #expect(allFound)
        #expect(seen.count == 5000)
        #expect(seen.insert(item: 0, line: 0) { _ in } == nil)
        #expect(seen.insert(item: 1, line: 1) { _ in }.map { [$0.item, $0.line] } == [0, 0])
    }
}
