import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// The question vectors (sections QOFF, QFID, QWGT) are written empty since no reader ever
/// used them: files shrink (39% at 100,000 questions) and still open in older libraries, which check only
/// their shape. Files written before, with every vector, open and answer as before.
@Suite struct QuestionVectorSectionTests {
    static let questions = ["Comment poser des congés ?", "j'ai perdu mon badge", "xyzzy", "", "badge"]

    static func bytes(of tag: String, in file: [UInt8]) throws -> ArraySlice<UInt8> {
        let s = try #require(IndexIntegrityTests.sections(file).first { $0.tag == tag }, "no section \(tag)")
        return file[s.offset..<s.offset + s.length]
    }

    /// The shape readers before this change require: QOFF has questions + 1 offsets starting
    /// at 0 and ending at QFID's count, QFID and QWGT have the same count, and no offset
    /// decreases. Empty vectors meet it.
    @Test func newFilesStoreThemEmptyInTheShapeOlderReadersCheck() throws {
        for (name, file) in try IndexIntegrityTests.indexes() {
            let engine = try Engine(indexBytes: file)
            let offsets = try Self.bytes(of: "QOFF", in: file)
            #expect(offsets.count == 4 * (engine.questionCount + 1), "\(name)")
            #expect(offsets.allSatisfy { $0 == 0 }, "\(name)")
            #expect(try Self.bytes(of: "QFID", in: file).isEmpty, "\(name)")
            #expect(try Self.bytes(of: "QWGT", in: file).isEmpty, "\(name)")
        }
    }

    /// `file` re-assembled as libchatbot wrote it before: every question's unit vector in
    /// QOFF/QFID/QWGT (the transposed posting lists, which hold the same weights).
    static func withFullQuestionVectors(_ file: [UInt8]) throws -> [UInt8] {
        let image = try Engine(indexBytes: file).image
        var perQuestion = [[(feature: UInt32, weight: Float)]](repeating: [], count: image.questionCount)
        for f in 0..<image.featureCount {
            for j in Int(image.postingOffsets[f])..<Int(image.postingOffsets[f + 1]) {
                perQuestion[Int(image.postingRows[j])].append((UInt32(f), image.postingWeights[j]))
            }
        }
        let offsets = perQuestion.reduce(into: [UInt32(0)]) { $0.append($0.last! + UInt32($1.count)) }
        var writer = IndexWriter()
        for s in IndexIntegrityTests.sections(file) {
            let raw = Array(file[s.offset..<s.offset + s.length])
            let elementSize = (0..<4).reduce(0) { $0 | Int(file[s.entry + 4 + $1]) << (8 * $1) }
            let tag = SectionTag(rawValue: (0..<4).reduce(UInt32(0)) { $0 | UInt32(file[s.entry + $1]) << (8 * $1) })
            switch (s.tag, elementSize) {
            case ("QOFF", _): writer.add(tag, offsets)
            case ("QFID", _): writer.add(tag, perQuestion.flatMap { $0.map(\.feature) })
            case ("QWGT", _): writer.add(tag, perQuestion.flatMap { $0.map(\.weight) })
            case (_, 1): writer.add(tag, raw)
            case (_, 2): writer.add(tag, raw.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) })
            case (_, 4): writer.add(tag, raw.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) })
            case (_, 8): writer.add(tag, raw.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) })
            case (_, 16): writer.add(tag, raw.withUnsafeBytes { Array($0.bindMemory(to: ItemRecord.self)) })
            default: Issue.record("section \(s.tag) has element size \(elementSize)")
            }
        }
        let version = (0..<4).reduce(UInt32(0)) { $0 | UInt32(file[8 + $1]) << (8 * $1) }
        return writer.serialized(engineVersion: EngineVersion.string, formatVersion: version)
    }

    @Test func filesWithEveryQuestionVectorStillOpenAndAnswerTheSame() throws {
        for (name, file) in try IndexIntegrityTests.indexes() {
            let full = try Self.withFullQuestionVectors(file)
            #expect(try Self.bytes(of: "QFID", in: full).count > 4 * 10, "\(name): the old layout was not rebuilt")
            #expect(full.count > file.count, "\(name)")
            let engine = try Engine(indexBytes: file), old = try Engine(indexBytes: full)
            try old.verify()
            for q in Self.questions {
                #expect(try old.match(q) == engine.match(q), "\(name): '\(q)'")
            }
            // Saved again, an old file keeps its bytes: the engine writes what it read.
            #expect(old.indexBytes == full, "\(name)")
        }
    }

    /// The sections are ignored, not checked: damage in them is the body checksum's to find.
    @Test func damageInThemIsFoundByTheChecksum() throws {
        let file = try Self.withFullQuestionVectors(TestKnowledgeBase.engine().indexBytes)
        let qfid = try #require(IndexIntegrityTests.sections(file).first { $0.tag == "QFID" })
        var damaged = file
        damaged[qfid.offset] ^= 0x40
        IndexIntegrityTests.expectRefused(damaged, "QFID byte", containing: "checksum")
        // Made to match again (a buggy writer): nothing reads them, so the engine answers.
        IndexWriter.seal(&damaged)
        let engine = try Engine(indexBytes: damaged)
        try engine.verify()
        #expect(try engine.match(Self.questions[0]) == Engine(indexBytes: file).match(Self.questions[0]))
    }
}
