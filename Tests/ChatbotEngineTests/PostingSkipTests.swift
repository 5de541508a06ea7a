import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// Issue 15: the posting skip tables (format 6, `PostingSkips`) tell the matcher where each
/// item's run starts in the long posting lists. They change no answer, only how fast the
/// candidates' runs are found; damaged ones are refused like any other section.
@Suite struct PostingSkipTests {
    /// `kb` built with skip tables (whatever its size) and without them.
    static func withAndWithout(_ kb: KnowledgeBase) throws -> (tabled: Engine, plain: Engine) {
        var builder = IndexBuilder(options: FeatureOptions(), decision: DecisionSettings(), synonymGroups: [])
        builder.postingSkipMinimumQuestions = 0
        let tabled = try Engine(indexBytes: builder.build(kb))
        builder.postingSkipMinimumQuestions = .max
        return (tabled, try Engine(indexBytes: builder.build(kb)))
    }

    static func tabledIndex() throws -> [UInt8] {
        try withAndWithout(KnowledgeBase(items: SyntheticBase(itemCount: 12, questionsPerItem: 8, seed: 5).items)).tabled.indexBytes
    }

    @Test func tablesAreWrittenWithVersionSevenAndIndexEveryLongList() throws {
        let (tabled, plain) = try Self.withAndWithout(KnowledgeBase(items: SyntheticBase(itemCount: 12, questionsPerItem: 8, seed: 5).items))
        #expect(tabled.formatVersion == 7)
        #expect(plain.formatVersion == 4)
        let image = tabled.image
        #expect(plain.image.postingSkipOffsets.isEmpty && plain.image.postingSkips.isEmpty)
        #expect(image.postingSkipOffsets.count == image.featureCount + 1)
        var tables = 0
        for f in 0..<image.featureCount {
            let start = Int(image.postingOffsets[f]), length = Int(image.postingOffsets[f + 1]) - start
            let s0 = Int(image.postingSkipOffsets[f]), s1 = Int(image.postingSkipOffsets[f + 1])
            guard length >= image.itemCount else {
                #expect(s1 == s0, "feature \(f): a table for a list of \(length)")
                continue
            }
            tables += 1
            #expect(s1 - s0 == image.itemCount + 1)
            // Item i's run holds exactly the postings of its questions.
            for i in 0..<image.itemCount {
                let r = image.items[i]
                let run = (start + Int(image.postingSkips[s0 + i]))..<(start + Int(image.postingSkips[s0 + i + 1]))
                let expected = (start..<start + length).filter {
                    (r.firstQuestion..<r.firstQuestion + r.questionCount).contains(image.postingRows[$0])
                }
                #expect(Array(run) == expected, "feature \(f), item \(i)")
            }
        }
        #expect(tables > 10, "the fixture has too few long lists to test anything")
        // Everything else is the same file (the feature counts come with the tables).
        for s in IndexIntegrityTests.sections(plain.indexBytes) {
            let other = try #require(IndexIntegrityTests.sections(tabled.indexBytes).first { $0.tag == s.tag })
            #expect(tabled.indexBytes[other.offset..<other.offset + other.length] == plain.indexBytes[s.offset..<s.offset + s.length], "\(s.tag)")
        }
    }

    /// The same answers, bit for bit, with and without tables, pruned, walked and in full.
    @Test func tablesChangeNoRanking() throws {
        for (items, perItem, seed) in [(3, 12, UInt64(1)), (40, 5, 2), (15, 16, 4)] {
            var base = SyntheticBase(itemCount: items, questionsPerItem: perItem, seed: seed)
            let (tabled, plain) = try Self.withAndWithout(KnowledgeBase(items: base.items))
            #expect(!tabled.image.postingSkips.isEmpty)
            let questions = PrunedMatchingTests.questions(&base)
            PrunedMatchingTests.expectSame(tabled, questions, "\(items) items × \(perItem), tabled")
            PrunedMatchingTests.expectSame(tabled, questions, eligible: { $0 % 3 != 0 }, "tabled, every third item out")
            for question in questions {
                #expect(try tabled.match(question) == plain.match(question), "'\(question)'")
                let v = tabled.matcher.vector(tabled.matcher.extractor.extract(tokens: tabled.matcher.extractor.analyzer.analyze(question)))
                let all = Array(0..<tabled.itemCount)
                let a = tabled.matcher.nearestQuestions(all, vector: v), b = plain.matcher.nearestQuestions(all, vector: v)
                let scores = tabled.matcher.lexicalScores(v)
                for item in all {
                    let walked = tabled.matcher.nearestQuestion(item, in: scores)
                    #expect(a[item].cosine.bitPattern == walked.cosine.bitPattern && a[item].question == walked.question)
                    #expect(b[item].cosine.bitPattern == walked.cosine.bitPattern && b[item].question == walked.question)
                }
            }
        }
    }

    /// Below 2,000 questions no table is written, and the file stays readable by format-4
    /// libraries; from 2,000 on, the default build writes them.
    @Test func theDefaultBuildWritesThemFromTwoThousandQuestions() throws {
        var learning = LearningOptions()
        learning.enabled = false
        for (count, version) in [(PostingSkips.minimumQuestions - 1, 4), (PostingSkips.minimumQuestions, 7)] {
            let items = (0..<20).map { i in
                KnowledgeItem(id: "item\(i)", questions: (0..<count / 20 + (i < count % 20 ? 1 : 0)).map {
                    "question \(SyntheticBase.word(i)) numéro \(SyntheticBase.word(1_000 + $0)) commune"
                }, answer: "réponse \(i)")
            }
            let engine = try Engine.build(KnowledgeBase(items: items), learning: learning)
            #expect(engine.questionCount == count)
            #expect(engine.formatVersion == version, "\(count) questions")
            #expect(engine.image.postingSkips.isEmpty == (version == 4))
        }
    }

    /// Rewrites one UInt32 of a section and reseals the file, as a buggy writer would.
    static func rewritten(_ file: [UInt8], _ tag: String, element: Int, to value: UInt32) throws -> [UInt8] {
        let s = try #require(IndexIntegrityTests.sections(file).first { $0.tag == tag })
        var b = file
        for k in 0..<4 { b[s.offset + 4 * element + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
        IndexWriter.seal(&b)
        return b
    }

    @Test func damagedTablesAreRefused() throws {
        let file = try Self.tabledIndex()
        let image = try Engine(indexBytes: file).image
        // The first feature with a table, and one position inside it.
        let f = try #require((0..<image.featureCount).first { image.postingSkipOffsets[$0 + 1] > image.postingSkipOffsets[$0] })
        let s0 = Int(image.postingSkipOffsets[f])
        let position = image.postingSkips[s0 + 1]
        IndexIntegrityTests.expectRefused(try Self.rewritten(file, "PSKP", element: s0 + 1, to: position + 1),
                                          "a position one too far", containing: "position for item 1 is wrong")
        IndexIntegrityTests.expectRefused(try Self.rewritten(file, "PSKP", element: s0 + 1, to: 1_000_000),
                                          "a position outside the list", containing: "posting skip tables")
        IndexIntegrityTests.expectRefused(try Self.rewritten(file, "PSKP", element: s0 + image.itemCount, to: 0),
                                          "a table that stops early", containing: "does not end at its list's end")
        IndexIntegrityTests.expectRefused(try Self.rewritten(file, "PSKO", element: f + 1, to: UInt32(s0)),
                                          "a long list without its table", containing: "posting skip tables")
        IndexIntegrityTests.expectRefused(try Self.rewritten(file, "PSKO", element: 0, to: 3),
                                          "offsets not starting at 0", containing: "offsets do not cover the tables")
        // Items out of question order, each still owning its questions, would make a run
        // hold another item's questions.
        let records = try #require(IndexIntegrityTests.sections(file).first { $0.tag == "ITEM" })
        let owners = try #require(IndexIntegrityTests.sections(file).first { $0.tag == "QITM" })
        var swapped = file
        for k in 0..<16 { swapped.swapAt(records.offset + k, records.offset + 16 + k) }
        for q in 0..<image.questionCount where image.questionItems[q] < 2 {
            swapped[owners.offset + 4 * q] = UInt8(1 - image.questionItems[q])
        }
        IndexWriter.seal(&swapped)
        IndexIntegrityTests.expectRefused(swapped, "items swapped", containing: "items are not in question order")
    }

    @Test func tablesOfTheWrongShapeAreRefusedAtOpen() throws {
        // PSKO's table entry claims one element fewer: it no longer matches the feature count.
        try Self.expectRefusedAtOpen(Self.oneShort(Self.tabledIndex(), "PSKO"), "PSKO one short",
                                     containing: "do not match the feature count")
    }

    /// `file` resealed with section `tag`'s table entry claiming one element fewer.
    static func oneShort(_ file: [UInt8], _ tag: String) throws -> [UInt8] {
        let s = try #require(IndexIntegrityTests.sections(file).first { $0.tag == tag })
        var b = file
        let count = (0..<8).reduce(0) { $0 | Int(b[s.entry + 16 + $1]) << (8 * $1) } - 1
        for k in 0..<8 { b[s.entry + 16 + k] = UInt8(truncatingIfNeeded: count >> (8 * k)) }
        IndexWriter.seal(&b)
        return b
    }

    /// Refused by a copied open, and by a mapped one too, before any deferred verification.
    static func expectRefusedAtOpen(_ b: [UInt8], _ what: String, containing needle: String) {
        IndexIntegrityTests.expectRefused(b, what, containing: needle)
        #expect(throws: ChatbotError.self) {
            _ = try b.withUnsafeBytes { raw throws(ChatbotError) in
                try IndexImage(storage: IndexStorage.copying(raw), verifyingContents: false)
            }
        }
    }

    /// A file declaring version 5 cannot carry them: a version-5 reader would refuse their tags.
    @Test func aVersionFiveFileCannotCarryThem() throws {
        var b = try Self.tabledIndex()
        b[8] = 5
        IndexWriter.seal(&b)
        IndexIntegrityTests.expectRefused(b, "tables in version 5", containing: "belongs to format version 6")
    }
}
