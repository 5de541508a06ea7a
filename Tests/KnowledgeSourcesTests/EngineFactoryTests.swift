#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Testing
import ChatbotEngine
@testable import KnowledgeSources

/// `Engine.build(sourcePath:synonymsPath:questionVectors:)`, shared by the CLI and the C interface.
@Suite struct EngineFactoryTests {
    /// A fresh TSV source in /tmp (tests make their own fixtures).
    private func writeSource(_ text: String) throws -> String {
        let path = "/tmp/chatbot-factory-\(UInt32.random(in: 0...UInt32.max)).tsv"
        try writeFileAtomically(path, bytes: Array(text.utf8))
        return path
    }

    @Test func buildsFromASourcePath() throws {
        let path = try writeSource("conges\tcomment poser des congés\nbadge\tj'ai perdu mon badge\nconges\tvacances\n")
        defer { unlink(path) }
        let (engine, kb) = try Engine.build(sourcePath: path)
        #expect(engine.itemCount == 2)
        #expect(kb.items.map(\.id) == ["conges", "badge"])
        #expect(try engine.match("j'ai perdu mon badge").matches.first?.id == "badge")
    }

    /// Vector rows follow the source's line order, even when an id's rows are not adjacent
    /// (MASSIVE's kb.tsv interleaves its intents).
    @Test func attachesOneVectorPerQuestionInSourceRowOrder() throws {
        let path = try writeSource("a\tpremière question\nb\tdeuxième question\na\ttroisième question\n")
        defer { unlink(path) }
        let vectors: [[Float]] = [[1, 0], [0, 1], [1, 1]]
        let (engine, kb) = try Engine.build(sourcePath: path, questionVectors: vectors)
        #expect(engine.embeddingDimension == 2)
        #expect(kb.items[0].questionVectors == [[1, 0], [1, 1]])
        #expect(kb.items[1].questionVectors == [[0, 1]])
    }

    @Test func rejectsAVectorCountThatDoesNotMatchTheQuestions() throws {
        let path = try writeSource("a\tune question\nb\tune autre\n")
        defer { unlink(path) }
        #expect(throws: ChatbotError.invalidArgument("the vectors file has 1 rows but \(path) has 2 questions")) {
            try Engine.build(sourcePath: path, questionVectors: [[1, 0]])
        }
    }

    @Test func reportsAMissingSourceOrSynonymsFile() throws {
        // Typed throws let the test name the failure exactly: the file and why.
        #expect(throws: ChatbotError.file(path: "/nonexistent/kb.tsv", reason: .notFound)) {
            try Engine.build(sourcePath: "/nonexistent/kb.tsv")
        }
        let path = try writeSource("a\tune question\n")
        defer { unlink(path) }
        #expect(throws: ChatbotError.file(path: "/nonexistent/synonymes.txt", reason: .notFound)) {
            try Engine.build(sourcePath: path, synonymsPath: "/nonexistent/synonymes.txt")
        }
    }
}
