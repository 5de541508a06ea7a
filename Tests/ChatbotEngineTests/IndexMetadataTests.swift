import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// The META section: one table of keys, read and written the same way, with one rule for
/// malformed values (refused) and a declared rule per key for absent ones.
@Suite struct IndexMetadataTests {
    /// The keys a file cannot lack; every other key has a default for files that predate it.
    static let requiredKeys: Set<String> = [
        "char_ngram_min", "char_ngram_max", "word_bigrams", "keep_negations", "remove_stop_words",
        "char_ngrams_of_stop_words", "char_block_weight",
    ]

    /// A learned index with word vectors: it holds every key there is.
    static func fullMeta() throws -> IndexMetadata {
        try Engine.build(WordVectorTests.base, wordVectors: WordVectorTests.vectors()).image.meta
    }

    static func editing(_ meta: IndexMetadata, _ edit: (inout [String]) -> Void) throws -> IndexMetadata {
        var lines = meta.text.split(separator: "\n").map(String.init)
        edit(&lines)
        return try IndexMetadata(parsing: lines.joined(separator: "\n"))
    }

    /// What an engine reads from META at open.
    static func readAll(_ meta: IndexMetadata) throws(ChatbotError) {
        _ = try FeatureOptions(stored: meta)
        _ = try DecisionSettings(stored: meta)
        _ = try LearningOptions(stored: meta)
        _ = try meta.value(IndexMetadata.Keys.wordVectors)
    }

    @Test func everyKeyAbsentIsRefusedOrDefaultedAsDeclared() throws {
        let meta = try Self.fullMeta()
        let names = meta.text.split(separator: "\n").map { String($0.split(separator: "=")[0]) }
        #expect(names.count == 23)
        #expect(Self.requiredKeys.isSubset(of: Set(names)))
        for name in names {
            let without = try Self.editing(meta) { $0.removeAll { $0.hasPrefix(name + "=") } }
            if Self.requiredKeys.contains(name) {
                #expect(throws: ChatbotError.invalidIndex("setting \(name) is missing"), "\(name)") { try Self.readAll(without) }
            } else {
                #expect(throws: Never.self, "\(name)") { try Self.readAll(without) }
            }
        }
    }

    @Test func everyKeyMalformedIsRefused() throws {
        let meta = try Self.fullMeta()
        for line in meta.text.split(separator: "\n") where !line.hasPrefix("word_vectors=") {
            let name = String(line.split(separator: "=")[0])
            let bad = try Self.editing(meta) { lines in
                lines = lines.map { $0.hasPrefix(name + "=") ? name + "=x1" : $0 }
            }
            #expect(throws: ChatbotError.invalidIndex("setting \(name) is malformed: 'x1'"), "\(name)") { try Self.readAll(bad) }
        }
    }

    @Test func absentKeysMeanWhatOlderLibrariesDid() throws {
        let meta = try Self.fullMeta()
        let old = try Self.editing(meta) { lines in
            lines.removeAll { $0.hasPrefix("fold_accents=") || $0.hasPrefix("learn_embedding_scale=") || $0.hasPrefix("answer_threshold=") }
        }
        #expect(try FeatureOptions(stored: old).foldAccents == true)
        #expect(try LearningOptions(stored: old)?.embeddingScale == 0)
        #expect(try DecisionSettings(stored: old).answerThreshold == DecisionSettings().answerThreshold)
        // Without a model, missing decision keys take the cosine defaults, and there are no learning settings.
        let cosine = try Self.editing(meta) { lines in
            lines.removeAll { $0.hasPrefix("learn_") || $0.hasPrefix("answer_threshold=") }
        }
        #expect(try DecisionSettings(stored: cosine).answerThreshold == DecisionSettings.cosine.answerThreshold)
        #expect(try LearningOptions(stored: cosine) == nil)
    }

    @Test func whatIsWrittenIsReadBack() throws {
        var options = FeatureOptions()
        options.charNGramMin = 2
        options.charNGramMax = 4
        options.wordBigrams.toggle()
        options.foldAccents = false
        options.charBlockWeight = 0.3
        var decisions = DecisionSettings(answerThreshold: 0.7, ambiguityMargin: 0.1, suggestionFloor: 0.2,
                                         maxSuggestions: 5, embeddingWeight: 0.25)
        var learning = LearningOptions()
        learning.seed = UInt64.max
        learning.epochs = 9
        learning.l2 = 3.0e-7
        learning.learningRate = 0.123456789
        learning.calibrationFolds = 5
        learning.embeddingScale = 4
        var meta = IndexMetadata()
        options.store(in: &meta)
        decisions.store(in: &meta)
        learning.store(in: &meta)
        let back = try IndexMetadata(parsing: meta.text)
        #expect(back == meta)
        #expect(try FeatureOptions(stored: back) == options)
        #expect(try DecisionSettings(stored: back) == decisions)
        #expect(try LearningOptions(stored: back) == learning)
        decisions.maxSuggestions = 1
        decisions.store(in: &meta)
        #expect(try DecisionSettings(stored: meta).maxSuggestions == 1)
        #expect(meta.text.split(separator: "\n").map { $0.split(separator: "=")[0] } == meta.text.split(separator: "\n").map { $0.split(separator: "=")[0] }.sorted())
    }

    @Test func aMalformedLineIsRefused() {
        #expect(throws: ChatbotError.invalidIndex("malformed settings line 'char_ngram_min'")) {
            try IndexMetadata(parsing: "char_ngram_min\nword_bigrams=true")
        }
    }

    @Test func synonymsAndTheVocabularyProbeHaveOneSpelling() throws {
        let groups = [["congé", "vacances", "jour off"], ["badge", "carte d'accès"]]
        #expect(SynonymSection.groups(SynonymSection.text(groups)) == groups)
        #expect(SynonymSection.groups("") == [])
        let engine = try Engine.build(KnowledgeBase(items: TestKnowledgeBase.items), synonyms: groups)
        #expect(engine.synonymGroups == groups)
        // Every stored feature is found where the writer put it.
        let image = engine.image
        var found = 0
        for slot in 0..<image.vocabularyKeys.count where image.vocabularyValues[slot] != IndexImage.emptyVocabularySlot {
            #expect(image.featureID(image.vocabularyKeys[slot]) == image.vocabularyValues[slot])
            found += 1
        }
        #expect(found == image.featureCount)
    }
}
