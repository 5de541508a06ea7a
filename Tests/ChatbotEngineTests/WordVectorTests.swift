import ChatbotErrors
import Testing
@testable import ChatbotEngine

/// Static word vectors (issue 12): the `.cbwv` reader, the pooling by term, the index
/// sections, and questions whose words the base never used.
@Suite struct WordVectorTests {
    /// "vacances" and "congé" share a direction, "badge" and "carte" another: a question in
    /// words the base never saw can only be matched through them.
    static func vectors() throws(ChatbotError) -> WordVectors {
        try WordVectors(words: ["congé", "congés", "vacances", "repos", "badge", "carte", "accès", "perdu", "de", "le"],
                        frequencies: [1e-5, 2e-5, 3e-5, 1e-5, 1e-6, 5e-5, 1e-5, 2e-5, 0.03, 0.02],
                        vectors: [[1, 0.1, 0, 0], [1, 0, 0.1, 0], [0.9, 0.1, 0, 0.1], [0.8, 0, 0.2, 0],
                                  [0, 1, 0, 0.1], [0.1, 0.9, 0, 0], [0, 0.8, 0.2, 0], [0, 0.5, 0.5, 0],
                                  [0.3, 0.3, 0.3, 0.3], [0.2, 0.3, 0.3, 0.3]])
    }

    static let base = KnowledgeBase(items: [
        KnowledgeItem(id: "conges", questions: ["comment poser un congé", "demander des congés"]),
        KnowledgeItem(id: "badge", questions: ["j'ai perdu mon badge", "badge perdu que faire"]),
        KnowledgeItem(id: "salaire", questions: ["quand est versé le salaire"]),
    ])

    @Test func cbwvBytesRoundTrip() throws {
        let v = try Self.vectors()
        let back = try WordVectors(cbwv: v.cbwvBytes)
        #expect(back.words == v.words)
        #expect(back.frequencies == v.frequencies)
        #expect(back.dimension == 4)
        // Float16 storage: within half-precision rounding.
        for (a, b) in zip(back.vectors, v.vectors) { #expect(abs(a - b) < 1e-3) }
        #expect(back.digest == (try WordVectors(cbwv: back.cbwvBytes)).digest)
        #expect(back.digest != (try WordVectors(words: ["a"], frequencies: [0.5], vectors: [[1]])).digest)
    }

    @Test func malformedFilesAreRefusedWithAMessage() throws {
        let good = try Self.vectors().cbwvBytes
        func refused(_ bytes: [UInt8], _ expected: String) {
            do {
                _ = try WordVectors(cbwv: bytes, name: "wv.cbwv")
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains("wv.cbwv") && error.description.contains(expected), "\(error)")
            }
        }
        refused([], "not a word-vector file")
        refused(Array("CBIX".utf8) + good.dropFirst(4), "not a word-vector file")
        var version = good
        version[4] = 2
        refused(version, "version 2")
        var flags = good
        flags[16] = 1
        refused(flags, "flags")
        var zeroDim = good
        zeroDim[12] = 0
        refused(zeroDim, "dimension 0")
        var huge = good
        huge[8] = 0xFF; huge[9] = 0xFF; huge[10] = 0x0F
        refused(huge, "outside")
        var tooMany = good
        tooMany[8] = 200
        refused(tooMany, "truncated")
        for cut in [21, 30, good.count - 1] { refused(Array(good.prefix(cut)), "truncated") }
        refused(good + [0], "trailing")
        // A frequency that is not a probability.
        var nan = good
        let freqAt = 20 + 2 + "congé".utf8.count
        nan[freqAt + 3] = 0x7F; nan[freqAt + 2] = 0xC0
        refused(nan, "frequency")
        #expect(throws: ChatbotError.self) { try WordVectors(words: ["a", "b"], frequencies: [0.1], vectors: [[1], [1]]) }
        #expect(throws: ChatbotError.self) { try WordVectors(words: ["a"], frequencies: [0.1], vectors: [[.nan]]) }
        #expect(throws: ChatbotError.self) { try WordVectors(words: ["a", "b"], frequencies: [0.1, 0.1], vectors: [[1], [1, 2]]) }
        #expect(throws: ChatbotError.self) { try WordVectors(words: [], frequencies: [], vectors: []) }
    }

    @Test func wordsPoolByTermWithSmoothInverseFrequencyWeights() throws {
        let options = FeatureOptions()
        let extractor = FeatureExtractor(options: options, synonyms: try SynonymTable.forIndex(groups: [], options: options))
        let table = TermVectorTable(try Self.vectors()) { extractor.terms(of: extractor.analyzer.analyze($0)) }
        // "congé" and "congés" are one term.
        #expect(table.count == 9)
        let conge = try #require(table.position(of: FeatureHash.hash(.word, extractor.terms(of: extractor.analyzer.analyze("congé"))[0].utf8)))
        #expect(abs(table.weights[conge] - 1e-3 / (1e-3 + 3e-5)) < 1e-4)
        // A frequent word weighs little.
        let de = try #require(table.position(of: FeatureHash.hash(.word, "de".utf8)))
        #expect(table.weights[de] < 0.05)
        let v = try #require(table.embed(terms: ["vacanc"]))
        var norm: Float = 0
        for x in v { norm += x * x }
        #expect(abs(norm - 1) < 1e-4)
        #expect(table.embed(terms: ["inconnu", "zzz"]) == nil)
    }

    @Test func anIndexWithWordVectorsEmbedsQuestionsItself() throws {
        let engine = try Engine.build(Self.base, wordVectors: Self.vectors())
        #expect(engine.hasWordVectors)
        #expect(engine.embeddingDimension == 4)
        #expect(engine.formatVersion == 5)
        #expect(engine.wordVectorsDigest == (try Self.vectors()).digest)
        #expect(engine.learningOptions?.wordVectorScale == 0.5)
        #expect(engine.image.model?.embeddingRow != nil)
        let reopened = try Engine(indexBytes: engine.indexBytes)
        #expect(reopened.hasWordVectors && reopened.wordVectorTermCount == engine.wordVectorTermCount)
        // Words the base never used: only the word vectors know "vacances" is about leave.
        for (question, expected) in [("vacances", "conges"), ("carte accès", "badge")] {
            let r = try reopened.match(question)
            #expect(r.matches.first?.id == expected, "\(question): \(r)")
        }
        // Without them, only shared letters ("es ") link "vacances" to the base.
        let lexical = try Engine.build(Self.base).match("vacances")
        #expect(lexical.decision != .answer, "\(lexical)")
        // Stored questions still win clearly.
        let verbatim = try reopened.match("j'ai perdu mon badge")
        #expect(verbatim.matches.first?.id == "badge")
        // Neither a known word nor a vector: fallback, no candidate.
        #expect(try reopened.match("xyzzy").matches.isEmpty)
        // The index embeds questions itself: a host's vector is refused.
        do {
            _ = try reopened.match("vacances", options: MatchOptions(queryVector: [1, 0, 0, 0]))
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("embeds questions itself"), "\(error)")
        }
        // Without word vectors an index stays version 4, readable by older libraries.
        #expect(try Engine.build(Self.base).formatVersion == 4)
    }

    /// With one question per item, the word vectors' cosine is mixed into the nearest
    /// question's and the model keeps no embedding rows (issue 12).
    @Test func singleQuestionBasesMixTheWordVectorCosine() throws {
        let kb = KnowledgeBase(items: [
            KnowledgeItem(id: "conges", questions: ["comment poser un congé"]),
            KnowledgeItem(id: "badge", questions: ["j'ai perdu mon badge"]),
            KnowledgeItem(id: "salaire", questions: ["quand est versé le salaire"]),
        ])
        let engine = try Engine.build(kb, wordVectors: Self.vectors())
        #expect(engine.image.model?.calibrator == .singleQuestionWordVectors)
        #expect(engine.image.model?.embeddingRow == nil)
        let r = try engine.match("vacances")
        #expect(r.matches.first?.id == "conges", "\(r)")
        #expect(try engine.match("j'ai perdu mon badge").decision == .answer)
    }

    @Test func wordVectorsAndHostVectorsAreExclusive() throws {
        let kb = KnowledgeBase(items: [KnowledgeItem(id: "a", questions: ["poser un congé"], questionVectors: [[1, 0, 0, 0]])])
        do {
            _ = try Engine.build(kb, wordVectors: Self.vectors())
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("use one or the other"), "\(error)")
        }
    }

    @Test func aWarmStartNeedsTheSameWordVectors() throws {
        let first = try Engine.build(Self.base, wordVectors: Self.vectors())
        let same = try Self.vectors()
        #expect(first.warmStartProblem(wordVectors: same) == nil)
        #expect(first.warmStartProblem(wordVectors: nil) == "word vectors differ")
        let other = try WordVectors(words: ["congé"], frequencies: [1e-5], vectors: [[1, 0, 0, 0]])
        #expect(first.warmStartProblem(wordVectors: other) == "word vectors differ")
        #expect(try Engine.build(Self.base).warmStartProblem(wordVectors: same) == "word vectors differ")
        let warm = try Engine.build(Self.base, wordVectors: Self.vectors(), warmStart: first)
        #expect(try warm.match("vacances").matches.first?.id == "conges")
    }

    @Test func aDamagedWordVectorSectionIsRefused() throws {
        // Keys out of order, found by walking the section table of a real index.
        var bytes = try Engine.build(Self.base, wordVectors: Self.vectors()).indexBytes
        let sections = Int(bytes[48]) | Int(bytes[49]) << 8
        var keysAt = -1
        for i in 0..<sections {
            let e = 64 + i * 24
            if Array(bytes[e..<(e + 4)]) == Array("WVKY".utf8) || Array(bytes[e..<(e + 4)]) == Array("YKVW".utf8) {
                keysAt = Int(bytes[e + 8]) | Int(bytes[e + 9]) << 8 | Int(bytes[e + 10]) << 16 | Int(bytes[e + 11]) << 24
            }
        }
        #expect(keysAt > 0)
        // Swap the first two keys, then fix the checksum so that only validation can object.
        for k in 0..<8 { bytes.swapAt(keysAt + k, keysAt + 8 + k) }
        IndexWriter.seal(&bytes)
        do {
            _ = try Engine(indexBytes: bytes)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("word vectors: terms are not in increasing order"), "\(error)")
        }
    }
}
