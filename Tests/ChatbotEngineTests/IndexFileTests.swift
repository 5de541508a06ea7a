#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

@Suite struct IndexFileTests {
    @Test func roundTripThroughBytesGivesIdenticalResults() throws {
        let engine = try TestKnowledgeBase.engine()
        let reopened = try Engine(indexBytes: engine.indexBytes)
        #expect(reopened.itemCount == engine.itemCount)
        #expect(reopened.questionCount == engine.questionCount)
        #expect(reopened.formatVersion == 4)
        #expect(reopened.writerVersion == EngineVersion.string)
        for q in ["congés", "salaire versé quand", "mutuelle", "télétravail"] {
            #expect(try reopened.match(q) == engine.match(q))
        }
        #expect(reopened.itemQuestions(0) == TestKnowledgeBase.items[0].questions)
        #expect(reopened.itemAnswer(1) == "Le 28 de chaque mois.")
    }

    @Test func roundTripThroughAFile() throws {
        let engine = try TestKnowledgeBase.engine()
        let path = "/tmp/chatbot-test-\(UInt32.random(in: 0...UInt32.max)).cbindex"
        try writeFileAtomically(path, bytes: engine.indexBytes)
        defer { unlink(path) }
        let opened = try Engine(contentsOf: path)
        #expect(try opened.match("Comment poser des congés ?").matches.first?.id == "conges")
    }

    @Test func missingFileIsAnIOError() {
        let error = #expect(throws: ChatbotError.self) { try Engine(contentsOf: "/nonexistent/index") }
        guard let error, error.kind == .io else { Issue.record("not an I/O error: \(String(describing: error))"); return }
        #expect(error.message.contains("/nonexistent/index"))
    }

    @Test func emptyAndTinyFilesAreTruncated() {
        for n in [0, 1, 63] {
            let bytes = [UInt8](repeating: 0, count: n)
            #expect(throws: ChatbotError.self) { try Engine(indexBytes: bytes) }
            do { _ = try Engine(indexBytes: bytes) } catch {
                #expect(error.description.contains("truncated"), "\(error)")
            }
        }
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = try TestKnowledgeBase.engine().indexBytes
        for cut in stride(from: 64, to: bytes.count, by: 97) {
            do {
                _ = try Engine(indexBytes: Array(bytes[0..<cut]))
                Issue.record("truncated at \(cut) accepted")
            } catch {
                #expect(error.description.contains("truncated"), "\(error)")
            }
        }
    }

    @Test func flippingAnyByteAfterTheHeaderIsDetected() throws {
        let bytes = try TestKnowledgeBase.engine().indexBytes
        for position in stride(from: 64, to: bytes.count, by: 53) {
            var corrupted = bytes
            corrupted[position] ^= 0x5A
            do {
                _ = try Engine(indexBytes: corrupted)
                Issue.record("corruption at \(position) accepted")
            } catch {
                #expect(error.description.contains("corrupted"), "\(error)")
            }
        }
    }

    @Test func badMagicIsNotAnIndex() throws {
        var bytes = try TestKnowledgeBase.engine().indexBytes
        bytes[0] = UInt8(ascii: "X")
        do { _ = try Engine(indexBytes: bytes); Issue.record("accepted") } catch {
            #expect(error.description.contains("not a libchatbot index"))
        }
    }

    @Test func newerFormatVersionIsRefusedNamingBothVersions() throws {
        var bytes = try TestKnowledgeBase.engine().indexBytes
        let newer = UInt8(IndexFormat.version + 1)
        bytes[8] = newer
        IndexWriter.seal(&bytes) // as a newer library would have written it
        do { _ = try Engine(indexBytes: bytes); Issue.record("accepted") } catch {
            #expect(error.description.contains("version \(newer)"), "\(error)")
            #expect(error.description.contains("format version \(IndexFormat.version)"), "\(error)")
        }
    }

    /// A file whose checksum is valid but whose tables are inconsistent (as a buggy or
    /// malicious writer could produce) must still be rejected, not read out of bounds.
    @Test func structurallyInvalidFileWithValidChecksumIsRejected() throws {
        var bytes = try TestKnowledgeBase.engine().indexBytes
        // Find the QITM section and point its first question at a missing item.
        let sectionCount = Int(bytes[48])
        for i in 0..<sectionCount {
            let e = 64 + i * 24
            if Array(bytes[e..<e + 4]) == Array("QITM".utf8) {
                let offset = bytes[(e + 8)..<(e + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
                bytes[offset] = 0xFF; bytes[offset + 1] = 0xFF
            }
        }
        IndexWriter.seal(&bytes)
        do { _ = try Engine(indexBytes: bytes); Issue.record("accepted") } catch {
            #expect(error.description.contains("invalid index"), "\(error)")
        }
    }

    @Test func settingsAreStoredInTheIndex() throws {
        var settings = DecisionSettings()
        settings.answerThreshold = 0.7
        settings.suggestionFloor = 0.3
        let engine = try TestKnowledgeBase.engine(settings: settings)
        let reopened = try Engine(indexBytes: engine.indexBytes)
        #expect(reopened.settings.answerThreshold == 0.7)
        #expect(reopened.settings.suggestionFloor == 0.3)
    }
}
