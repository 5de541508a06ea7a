import ChatbotErrors
import Testing
@testable import ChatbotEngine

/// Absolute path of a hand-written fixture (located from this file, no Foundation needed).
func fixturePath(_ name: String) -> String {
    let here = "\(#filePath)"
    let dir = here[..<here.lastIndex(of: "/")!]
    return "\(dir)/Fixtures/sources/\(name)"
}

func parseSource(_ text: String, _ format: SourceFormat, file: String? = nil) throws -> KnowledgeBase {
    try KnowledgeBaseLoader.parse(bytes: Array(text.utf8), fileName: file ?? "kb.\(format.rawValue)", format: format)
}

/// The diagnostic thrown by `body`; records a test failure if it throws anything else or nothing.
func sourceError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> SourceDiagnostic? {
    do {
        try body()
        Issue.record("expected a SourceDiagnostic, nothing was thrown", sourceLocation: sourceLocation)
    } catch {
        if let error = error as? ChatbotError, error.kind == .invalidSource, error.diagnostics.count == 1 {
            return error.diagnostics[0]
        }
        Issue.record("expected a SourceDiagnostic, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Checks file, line and that the message contains `text`.
func expectSourceError(_ text: String, _ format: SourceFormat, line: Int, message: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    let d = sourceError({ _ = try parseSource(text, format) }, sourceLocation: sourceLocation)
    #expect(d?.file == "kb.\(format.rawValue)", sourceLocation: sourceLocation)
    #expect(d?.line == line, "\(d?.description ?? "")", sourceLocation: sourceLocation)
    #expect(d?.message.contains(message) == true, "message was: \(d?.message ?? "nil")", sourceLocation: sourceLocation)
}

@Suite struct KnowledgeBaseLoaderTests {
    @Test func formatFromExtension() {
        #expect(SourceFormat(path: "/a/b/kb.TSV") == .tsv)
        #expect(SourceFormat(path: "faq.csv") == .csv)
        #expect(SourceFormat(path: "dir.d/faq.json") == .json)
        #expect(SourceFormat(path: "faq.xlsx") == nil)
        #expect(SourceFormat(path: "dir.csv/faq") == nil)
        #expect(SourceFormat(path: ".csv") == nil)
        #expect(SourceFormat.supportedExtensions == ".tsv, .csv, .json")
    }

    @Test func loadsEachFormatFromDisk() throws {
        let tsv = try KnowledgeBaseLoader.load(path: fixturePath("kb.tsv"))
        #expect(tsv.items.map(\.id) == ["greeting", "weather"])
        let csv = try KnowledgeBaseLoader.load(path: fixturePath("faq.csv"))
        #expect(csv.items.map(\.id) == ["conges", "badge"])
        let json = try KnowledgeBaseLoader.load(path: fixturePath("faq.json"))
        #expect(json.items.map(\.id) == ["conges", "badge"])
    }

    @Test func unsupportedExtensionNamesTheSupportedOnes() {
        let d = sourceError { _ = try KnowledgeBaseLoader.load(path: "faq.xlsx") }
        #expect(d == SourceDiagnostic(file: "faq.xlsx", line: 0, message: "unsupported file extension; supported: .tsv, .csv, .json"))
    }

    @Test func missingFileIsAFileError() {
        #expect(throws: ChatbotError.file(path: "/nonexistent/kb.tsv", reason: .notFound)) {
            _ = try KnowledgeBaseLoader.load(path: "/nonexistent/kb.tsv")
        }
    }

    @Test func errorInAFileNamesThePath() {
        let path = fixturePath("missing-tab.tsv")
        let d = sourceError { _ = try KnowledgeBaseLoader.load(path: path) }
        #expect(d == SourceDiagnostic(file: path, line: 2, message: "missing tab: expected id<TAB>question"))
        #expect(d?.description == "\(path):2: missing tab: expected id<TAB>question")
    }

    @Test func emptySourcesAreErrors() {
        expectSourceError("", .tsv, line: 1, message: "no items found in the file")
        expectSourceError("\n\n", .tsv, line: 2, message: "no items found in the file")
        expectSourceError("", .csv, line: 1, message: "empty file")
        expectSourceError("id,question\n", .csv, line: 1, message: "no items found in the file")
        expectSourceError("[]", .json, line: 1, message: "no items found in the file")
    }
}

@Suite struct FileIOTests {
    @Test func readsAFileWhole() throws {
        let bytes = try readFile(fixturePath("kb.tsv"))
        #expect(bytes.count == 77)
        #expect(bytes.prefix(8) == Array("greeting".utf8)[...])
    }

    /// A file over `writebackChunk` is written in chunks whose write-back starts early: every
    /// byte still arrives, in order, including a last partial chunk.
    @Test func aLargeAtomicWriteArrivesWhole() throws {
        let dir = IndexIntegrityTests.temporaryDirectory()
        defer { IndexIntegrityTests.removeDirectory(dir) }
        let path = dir + "/large.bin"
        let bytes = (0..<(2 * writebackChunk + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        try writeFileAtomically(path, bytes: bytes)
        #expect(try readFile(path, maxBytes: bytes.count) == bytes)
        try writeFileAtomically(path, bytes: [UInt8]())
        #expect(try readFile(path, maxBytes: 1).isEmpty)
    }

    @Test func readErrors() {
        #expect(throws: ChatbotError.file(path: "/nonexistent/x", reason: .notFound)) { _ = try readFile("/nonexistent/x") }
        #expect(throws: ChatbotError.file(path: "/tmp", reason: .isDirectory)) { _ = try readFile("/tmp") }
        #expect(ChatbotError.file(path: "p", reason: .permissionDenied).description == "p: permission denied")
        #expect(ChatbotError.file(path: "p", reason: .system(call: "read", errno: 5)).description.hasPrefix("p: read failed: "))
    }

    /// Issue 13: a file over its kind's limit is refused before any of it is read (here a
    /// sparse file, which takes no disk), and so is every source, synonyms or vector file.
    @Test func refusesAFileOverTheLimit() throws {
        let path = "/tmp/chatbot-huge-\(UInt32.random(in: 0...UInt32.max)).tsv"
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        close(fd)
        defer { unlink(path) }
        #expect(truncate(path, off_t(InputLimits.maxSourceBytes) + 1) == 0)
        let tooLarge = ChatbotError.file(path: path, reason: .tooLarge(bytes: InputLimits.maxSourceBytes + 1, limit: InputLimits.maxSourceBytes))
        #expect(throws: tooLarge) { _ = try readFile(path) }
        #expect(throws: tooLarge) { _ = try KnowledgeBaseLoader.load(path: path) }
        #expect(throws: ChatbotError.file(path: path, reason: .tooLarge(bytes: InputLimits.maxSourceBytes + 1, limit: 10))) {
            _ = try readFile(path, maxBytes: 10)
        }
        #expect(tooLarge.description.contains("larger than the 134217728-byte limit"))
        #expect((#expect(throws: ChatbotError.self) { _ = try SynonymTable.load(path: path, analyze: { [$0] }) })?.kind == .io)
    }

    /// Issue 13: a FIFO opened for reading waits for a writer forever, and a device may never
    /// end: anything but a regular file is refused at once.
    @Test func refusesWhatIsNotARegularFile() throws {
        #expect(throws: ChatbotError.file(path: "/dev/null", reason: .notRegularFile)) { _ = try readFile("/dev/null") }
        let fifo = "/tmp/chatbot-fifo-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        #expect(throws: ChatbotError.file(path: fifo, reason: .notRegularFile)) { _ = try readFile(fifo) }
        #expect(ChatbotError.file(path: fifo, reason: .notRegularFile).description.contains("not a regular file"))
        do {
            _ = try Engine(contentsOf: fifo)
            Issue.record("a FIFO opened as an index")
        } catch {
            #expect(error.description.contains("not a regular file"), "\(error)")
        }
    }

    /// Issue 13: the Usine template's field limits are warned about in the engine's own
    /// formats too; the base still builds.
    @Test func longQuestionsAndAnswersAreWarnings() throws {
        let long = String(repeating: "é", count: 256)
        let tsv = try parseSource("conges\tComment poser un congé ?\nconges\t\(long)\n", .tsv)
        #expect(tsv.warnings.map(\.code) == ["question_too_long"])
        #expect(tsv.warnings.first?.line == 2)
        #expect(tsv.warnings.first?.message.contains("256 characters") == true)
        let ok = try parseSource("conges\t\(String(repeating: "é", count: 255))\n", .tsv)
        #expect(ok.warnings.isEmpty)
        let answer = String(repeating: "a", count: 2001)
        let json = try parseSource("{\"items\": [{\"id\": \"conges\", \"question\": \"congés\", \"answer\": \"\(answer)\"}]}", .json)
        #expect(json.warnings.map(\.code) == ["answer_too_long"])
        #expect(try Engine.build(json).itemCount == 1)
    }

    @Test func sameFileFollowsLinksAndSpellings() throws {
        let path = "/tmp/chatbot-same-\(UInt32.random(in: 0...UInt32.max))"
        try writeFileAtomically(path, bytes: [1])
        defer { unlink(path); unlink(path + ".link") }
        #expect(symlink(path, path + ".link") == 0)
        #expect(isSameFile(path, path + ".link"))
        #expect(isSameFile(path, "/tmp/../tmp/" + String(path.dropFirst(5))))
        #expect(!isSameFile(path, "/tmp"))
        #expect(!isSameFile(path, path + ".missing"))
    }

    @Test func writesAtomicallyAndReplaces() throws {
        let path = "/tmp/chatbot-fileio-\(UInt32.random(in: 0...UInt32.max)).bin"
        try writeFileAtomically(path, bytes: Array("first".utf8))
        #expect(try readFile(path) == Array("first".utf8))
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        try writeFileAtomically(path, bytes: big)
        #expect(try readFile(path) == big)
        try writeFileAtomically(path, bytes: [])
        #expect(try readFile(path).isEmpty)
        #expect((#expect(throws: ChatbotError.self) { try writeFileAtomically("/nonexistent-dir/x.bin", bytes: [1]) })?.kind == .io)
        _ = path.withCString { unlinkForTest($0) }
    }

    @Test func directoryNames() {
        #expect(directoryName(of: "/a/b/c") == "/a/b")
        #expect(directoryName(of: "/c") == "/")
        #expect(directoryName(of: "c") == ".")
    }
}

#if canImport(Glibc)
import Glibc
private func unlinkForTest(_ path: UnsafePointer<CChar>) -> Int32 { unlink(path) }
#endif
