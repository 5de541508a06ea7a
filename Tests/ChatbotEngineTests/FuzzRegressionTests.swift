import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// Inputs found by the fuzz targets (Tests/Fuzz, docs/fuzzing.md), replayed through the same
/// API without libFuzzer, so that `swift test` keeps them fixed. Each input is also kept in
/// its target's corpus, `Tests/Fuzz/corpus/TARGET/crash-*`, which every fuzz run replays first.
struct FuzzRegressionTests {
    /// A committed corpus file, found from this source file's path.
    static func corpusFile(_ target: String, _ name: String) throws -> [UInt8] {
        let tests = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
        return try readFile("\(tests)/Fuzz/corpus/\(target)/\(name)")
    }

    static func sectionEntry(_ bytes: [UInt8], _ tag: String) -> Int? {
        let count = Int(bytes[48])
        return (0..<count).map { 64 + $0 * 24 }.first { Array(bytes[$0..<$0 + 4]) == Array(tag.utf8) }
    }

    /// FuzzIndexSealed: a section table entry with element size 0 and a count above Int.max
    /// passed the bounds check (0 bytes) and trapped converting the count to Int.
    @Test func sectionWithElementSizeZeroIsRefused() throws {
        var bytes = try TestKnowledgeBase.engine().indexBytes
        let e = try #require(Self.sectionEntry(bytes, "ITEM"))
        bytes.replaceSubrange(e + 4..<e + 8, with: [0, 0, 0, 0])
        bytes.replaceSubrange(e + 16..<e + 24, with: [UInt8](repeating: 0xFF, count: 8))
        IndexWriter.seal(&bytes)
        #expect(throws: ChatbotError.invalidIndex("section ITEM has element size 0")) { try Engine(indexBytes: bytes) }

        var found = try Self.corpusFile("FuzzIndexSealed", "crash-section-size-zero")
        IndexWriter.seal(&found)
        do { _ = try Engine(indexBytes: found); Issue.record("accepted") } catch {
            #expect(error.description.contains("invalid index"), "\(error)")
        }
    }
}
