import ChatbotErrors
import Testing

@Suite struct ChatbotErrorTests {
    @Test func theDescriptionIsTheMessageThenTheStableCode() {
        #expect(ChatbotError(.io, "disk full").description == "disk full")
        #expect(ChatbotError(.invalidSource, "Le classeur est endommagé.", code: "zip_malformed").description
            == "Le classeur est endommagé. [zip_malformed]")
        #expect(ChatbotError.invalidIndex("bad checksum").message == "invalid index: bad checksum")
        #expect(ChatbotError.outOfMemory("index 'x'").message == "out of memory: index 'x'")
        #expect(ChatbotError.invalidUTF8(byteOffset: 3).kind == .invalidUTF8)
        #expect(ChatbotError.invalidText("bad").kind == .invalidUTF8)
        #expect(ChatbotError.notFound("no such question").kind == .notFound)
        #expect(ChatbotError.internalError("bug").kind == .internal)
    }

    @Test func aSingleProblemIsLocatedAndCarried() {
        let e = ChatbotError.diagnostic(file: "kb.csv", line: 4, message: "empty id", column: "A", code: "missing_id")
        #expect(e.kind == .invalidSource)
        #expect(e.message == "kb.csv:4: empty id")
        #expect(e.location == FileLocation(file: "kb.csv", line: 4, column: "A"))
        #expect(e.code == "")  // the diagnostic carries the check's code, the error does not repeat it
        #expect(e.diagnostics.map(\.code) == ["missing_id"])
        #expect(e.errors.count == 1 && e.warnings.isEmpty)
    }

    @Test func aReportNamesTheFirstErrorAndCountsTheRest() {
        let warning = SourceDiagnostic(file: "kb.xlsx", line: 2, message: "w", severity: .warning)
        let first = SourceDiagnostic(file: "kb.xlsx", line: 3, message: "e1")
        let second = SourceDiagnostic(file: "kb.xlsx", line: 5, message: "e2")
        let report = ChatbotError.report([warning, first, second])
        #expect(report.kind == .invalidSource)
        #expect(report.message == "kb.xlsx:3: e1 (and 1 more error)")
        #expect(report.location == FileLocation(file: "kb.xlsx", line: 3))
        #expect(report.diagnostics == [warning, first, second])
        #expect(report.errors == [first, second] && report.warnings == [warning])
        #expect(ChatbotError.report([warning]).message == "source refused")
        #expect(ChatbotError.report([first, second, first]).message.hasSuffix("(and 2 more errors)"))
    }

    @Test func aLocationPrintsAsCompilersDo() {
        #expect(FileLocation(file: "a.tsv", line: 7).description == "a.tsv:7")
        #expect(FileLocation(file: "a.tsv").description == "a.tsv")
    }

    @Test func aHugeDiagnosticMessageIsCut() {
        let d = SourceDiagnostic(file: "f", line: 1, message: String(repeating: "é", count: 10_000))
        #expect(d.message.unicodeScalars.count < SourceDiagnostic.maxMessageCharacters + 60)
        #expect(d.message.hasSuffix("more characters cut]"))
    }
}
