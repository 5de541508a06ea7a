import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// Issue 15: the feature counts (format 7, `FeatureCounts`) let an update take the analysis
/// of every question the previous index held from its posting lists (`PreviousAnalysis`).
/// The update's index is then the cold build's, byte for byte, except for the learned model.
@Suite struct FeatureCountTests {
    static let unlearned: LearningOptions = {
        var l = LearningOptions()
        l.enabled = false
        return l
    }()

    /// A builder writing the large-base sections whatever the base's size.
    static func builder(learning: LearningOptions = LearningOptions(), options: FeatureOptions = FeatureOptions()) -> IndexBuilder {
        var b = IndexBuilder(options: options, decision: DecisionSettings(), synonymGroups: [])
        b.learning = learning
        b.postingSkipMinimumQuestions = 0
        return b
    }

    /// Questions with repeated words, so that some features are held more than once.
    static func items(seed: UInt64) -> [KnowledgeItem] {
        var items = SyntheticBase(itemCount: 12, questionsPerItem: 8, seed: seed).items
        for i in items.indices where i % 3 == 0 {
            items[i].questions[0] += " " + items[i].questions[0].split(separator: " ").prefix(2).joined(separator: " ")
        }
        items[1].questions.append("très très bien, bien")
        return items
    }

    @Test func theyAreWrittenAsVersionSevenAndGiveBackEveryQuestionsAnalysis() throws {
        let kb = KnowledgeBase(items: Self.items(seed: 3))
        let engine = try Engine(indexBytes: Self.builder().build(kb))
        #expect(engine.formatVersion == 7)
        let image = engine.image
        #expect(image.featureBlocks.count == image.featureCount)
        #expect(image.repeatedFeaturePositions.count > 5, "the fixture repeats too few features to test anything")
        let previous = try #require(PreviousAnalysis(image, options: FeatureOptions()))
        let extractor = engine.matcher.extractor
        for q in 0..<image.questionCount {
            let text = image.questionText(q)
            #expect(previous.question(text) != nil)
            let raw = extractor.extract(text)
            var expected: [(UInt64, UInt8, UInt16)] = []
            for (b, block) in raw.blocks.enumerated() { for (h, c) in block { expected.append((h, UInt8(b), UInt16(c))) } }
            let range = Int(previous.offsets[q])..<Int(previous.offsets[q + 1])
            let got = range.map { k in
                (previous.hashes[Int(previous.features[k])], previous.blocks[Int(previous.features[k])], previous.counts[k])
            }
            #expect(got.count == expected.count && zip(got, expected).allSatisfy { $0 == $1 }, "question \(q): '\(text)'")
        }
    }

    /// Questions kept, added, removed, edited and moved, and a new item: the update's index
    /// is the cold build's, every byte without a model, every section but the model's with one.
    @Test func anUpdateIsTheColdBuildButForTheModel() throws {
        let before = Self.items(seed: 3)
        var after = before
        after[0].questions.append("une question toute nouvelle sur le badge perdu")
        after[2].questions.remove(at: 1)
        after[4].questions[3] = "texte modifié " + after[4].questions[3]
        after.swapAt(5, 6)
        after.append(KnowledgeItem(id: "new", questions: ["cantine horaires", "heures de la cantine"], answer: "midi"))
        for learning in [Self.unlearned, LearningOptions()] {
            let previous = try Engine(indexBytes: Self.builder(learning: learning).build(KnowledgeBase(items: before)))
            var updating = Self.builder(learning: learning)
            updating.previousImage = previous.image
            let cold = try Self.builder(learning: learning).build(KnowledgeBase(items: after))
            #expect(try updating.build(KnowledgeBase(items: after)) == cold, "learning: \(learning.enabled)")
            // With the previous model as the starting point too, only the model differs.
            guard learning.enabled else { continue }
            updating.warmStart = previous.warmStartSource
            let updated = try withExtendedLifetime(previous) { try updating.build(KnowledgeBase(items: after)) }
            let modelTags: Set = ["LWGT", "LBIA", "LCAL"]
            for s in IndexIntegrityTests.sections(cold) where !modelTags.contains(s.tag) {
                let other = try #require(IndexIntegrityTests.sections(updated).first { $0.tag == s.tag })
                #expect(updated[other.offset..<other.offset + other.length] == cold[s.offset..<s.offset + s.length], "\(s.tag)")
            }
        }
    }

    /// Previous questions kept in their order, with questions added (one before every
    /// previous question, with words no previous question had), removed, edited, repeated
    /// words, one text in three items, an item gone and a new one: the new posting lists
    /// come from the previous ones (`PostingUpdate`), and the index is the cold build's, byte
    /// for byte; with a warm start, the model too is the one built from analysed questions.
    /// The same with questions only added, where every previous list is kept whole.
    @Test func anInOrderUpdateComesFromThePreviousListsAndIsTheColdBuild() throws {
        var before = Self.items(seed: 5)
        before[3].questions.append(before[2].questions[0])
        var after = before
        after[0].questions.insert("zygomatique xylophone quartz", at: 0)
        after[0].questions.append("badge badge perdu perdu perdu")
        after[2].questions.remove(at: 1)
        after[4].questions[3] = "texte modifié " + after[4].questions[3]
        after[6].questions.append(before[2].questions[0])
        let gone = after.remove(at: 7)
        after.append(KnowledgeItem(id: "new", questions: ["cantine horaires", "heures de la cantine"], answer: "midi"))
        // Questions only added (every previous list kept whole: the shorter path).
        var grown = before
        grown[0].questions.insert("zygomatique xylophone quartz", at: 0)
        grown[5].questions.append("badge badge perdu perdu perdu")
        grown.append(KnowledgeItem(id: "new", questions: ["cantine horaires"], answer: "midi"))
        for (after, freshCount) in [(after, 6), (grown, 3)] {
            for learning in [Self.unlearned, LearningOptions()] {
                let previous = try Engine(indexBytes: Self.builder(learning: learning).build(KnowledgeBase(items: before)))
                let image = previous.image
                let previousOf = try #require(PostingUpdate.previousQuestions(of: after.flatMap(\.questions), in: image))
                #expect(previousOf.filter { $0 < 0 }.count == freshCount)
                #expect(PostingUpdate.agrees(image, with: previous.matcher.extractor))
                let texts = after.flatMap(\.questions), extractor = previous.matcher.extractor
                let fresh = previousOf.indices.filter { previousOf[$0] < 0 }.map { ($0, extractor.extract(texts[$0])) }
                let lists = try #require(PostingUpdate(image, previousOf: previousOf, fresh: fresh, options: FeatureOptions()))
                #expect(lists.repeatedPositions.count > 5 && lists.postingRows.count > image.postingRows.count / 2)
                var updating = Self.builder(learning: learning)
                updating.previousImage = image
                let cold = try Self.builder(learning: learning).build(KnowledgeBase(items: after))
                let sameBytes = try updating.build(KnowledgeBase(items: after)) == cold
                #expect(sameBytes, "learning: \(learning.enabled)")
                // Features went with the removed item, and came with the new questions.
                func vocabulary(_ image: IndexImage) -> Set<UInt64> {
                    Set(zip(image.vocabularyKeys, image.vocabularyValues).filter { $0.1 != IndexImage.emptyVocabularySlot }.map(\.0))
                }
                let (old, new) = (vocabulary(image), vocabulary(try Engine(indexBytes: cold).image))
                #expect(!new.subtracting(old).isEmpty)
                #expect(old.subtracting(new).isEmpty == (freshCount == 3), "removed item: \(gone.id)")
                guard learning.enabled else { continue }
                updating.warmStart = previous.warmStartSource
                var analysing = Self.builder(learning: learning)
                analysing.warmStart = previous.warmStartSource
                let (fromLists, fromAnalysis) = try withExtendedLifetime(previous) {
                    (try updating.build(KnowledgeBase(items: after)), try analysing.build(KnowledgeBase(items: after)))
                }
                let sameModel = fromLists == fromAnalysis
                #expect(sameModel)
            }
        }
    }

    /// Previous questions out of their order (two items swapped): the lists would need
    /// sorting, and the update takes `PreviousAnalysis` instead; a changed analyser is not
    /// trusted either.
    @Test func anUpdateOutOfOrderOrWithAnotherAnalyserDoesNotReuseTheLists() throws {
        let items = Self.items(seed: 6)
        let image = try Engine(indexBytes: Self.builder().build(KnowledgeBase(items: items))).image
        var swapped = items
        swapped.swapAt(2, 3)
        #expect(PostingUpdate.previousQuestions(of: swapped.flatMap(\.questions), in: image) == nil)
        #expect(PostingUpdate.previousQuestions(of: items.flatMap(\.questions), in: image) == (0..<Int32(image.questionCount)).map { $0 })
        var other = FeatureOptions()
        other.charNGramMin = 2
        let otherExtractor = FeatureExtractor(options: other, synonyms: try SynonymTable.forIndex(groups: [], options: other))
        #expect(!PostingUpdate.agrees(image, with: otherExtractor))
    }

    /// Through `Engine.build`: a 2,000-question base updated with one question more.
    @Test func engineBuildReusesThePreviousAnalysis() throws {
        let items = (0..<20).map { i in
            KnowledgeItem(id: "item\(i)", questions: (0..<100).map {
                "question \(SyntheticBase.word(i)) numéro \(SyntheticBase.word(1_000 + $0)) commune \(SyntheticBase.word(i))"
            }, answer: "réponse \(i)")
        }
        let previous = try Engine.build(KnowledgeBase(items: items), learning: Self.unlearned)
        #expect(previous.formatVersion == 7 && !previous.image.featureBlocks.isEmpty)
        var more = items
        more[3].questions.append("une de plus pour l'item trois")
        let updated = try Engine.build(KnowledgeBase(items: more), learning: Self.unlearned, warmStart: previous)
        #expect(try updated.indexBytes == Engine.build(KnowledgeBase(items: more), learning: Self.unlearned).indexBytes)
    }

    /// Nothing to reuse: a file without the sections, or a zero-weight block whose features
    /// have no posting list. The build then analyses every question, as before.
    @Test func withoutThemTheUpdateAnalysesEverything() throws {
        let kb = KnowledgeBase(items: Self.items(seed: 4))
        var sixth = Self.builder()
        sixth.formatVersion = 6
        let six = try Engine(indexBytes: sixth.build(kb))
        #expect(six.formatVersion == 6 && six.image.featureBlocks.isEmpty)
        #expect(PreviousAnalysis(six.image, options: FeatureOptions()) == nil)
        var noCharacters = FeatureOptions()
        noCharacters.charBlockWeight = 0
        let plain = try Engine(indexBytes: Self.builder(options: noCharacters).build(kb))
        #expect(PreviousAnalysis(plain.image, options: noCharacters) == nil)
        var updating = Self.builder(learning: Self.unlearned)
        updating.previousImage = six.image
        #expect(try updating.build(kb) == Self.builder(learning: Self.unlearned).build(kb))
    }

    /// An analysis from another library version, or one this analyser no longer gives, is
    /// not reused.
    @Test func aStaleAnalysisIsNotReused() throws {
        var file = try Self.file()
        let engine = try Engine(indexBytes: file)
        let previous = try #require(PreviousAnalysis(engine.image, options: FeatureOptions()))
        #expect(previous.agrees(with: engine.matcher.extractor))
        var other = FeatureOptions()
        other.charNGramMin = 2
        #expect(!previous.agrees(with: FeatureExtractor(options: other, synonyms: try SynonymTable.forIndex(groups: [], options: other))))
        // The same file, as if written by another version of the library.
        for (i, byte) in Array("9.9.9-other".utf8).enumerated() { file[16 + i] = byte }
        IndexWriter.seal(&file)
        let older = try Engine(indexBytes: file)
        #expect(older.writerVersion == "9.9.9-other")
        #expect(PreviousAnalysis(older.image, options: FeatureOptions()) == nil)
    }

    static func file() throws -> [UInt8] { try builder().build(KnowledgeBase(items: items(seed: 3))) }

    @Test func damagedCountsAreRefused() throws {
        let file = try Self.file()
        let image = try Engine(indexBytes: file).image
        let fblk = try #require(IndexIntegrityTests.sections(file).first { $0.tag == "FBLK" })
        for bad: UInt8 in [0, 4, 0xFF] {
            var b = file
            b[fblk.offset + 2] = bad
            IndexWriter.seal(&b)
            IndexIntegrityTests.expectRefused(b, "block \(bad)", containing: "a feature has no valid block")
        }
        let second = image.repeatedFeaturePositions[1]
        IndexIntegrityTests.expectRefused(try PostingSkipTests.rewritten(file, "FCNP", element: 0, to: second),
                                          "positions not increasing", containing: "positions are not increasing")
        IndexIntegrityTests.expectRefused(try PostingSkipTests.rewritten(file, "FCNP", element: image.repeatedFeaturePositions.count - 1,
                                                                         to: UInt32(image.postingRows.count)),
                                          "a position past the postings", containing: "positions are not increasing")
        for count: UInt32 in [0, 1, UInt32(MatchOptions.maxQuestionBytes) + 1] {
            IndexIntegrityTests.expectRefused(try PostingSkipTests.rewritten(file, "FCNC", element: 0, to: count),
                                              "count \(count)", containing: "a count is out of range")
        }
    }

    @Test func countsOfTheWrongShapeAreRefusedAtOpen() throws {
        for tag in ["FBLK", "FCNC"] {
            try PostingSkipTests.expectRefusedAtOpen(PostingSkipTests.oneShort(Self.file(), tag), "\(tag) one short",
                                                     containing: "feature counts do not match the feature count")
        }
    }

    /// A file declaring version 6 cannot carry them: version-6 libraries would drop them
    /// from the files they rebuild, and say nothing.
    @Test func aVersionSixFileCannotCarryThem() throws {
        var b = try Self.file()
        b[8] = 6
        IndexWriter.seal(&b)
        IndexIntegrityTests.expectRefused(b, "counts in version 6", containing: "belongs to format version 7")
    }
}
