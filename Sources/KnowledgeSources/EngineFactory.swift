import ChatbotErrors
import ChatbotEngine
import FrenchText

extension Engine {
    /// Reads a knowledge-base source (any `KnowledgeSourceFormat`) and an optional synonyms
    /// file, and compiles them into an engine held in memory.
    ///
    /// Shared by the command-line tool and the C interface so that both accept exactly the
    /// same files. `questionVectors`, when given, holds one embedding per question row,
    /// in the source's row order (line order for TSV/CSV, document order for JSON).
    /// `smallTalk` merges the built-in French small-talk pack (`SmallTalkPack`): the base's
    /// own `st_` items win over the pack's. `settings` are the decision settings stored in
    /// the index (nil: the defaults). `wordVectorsPath` names a `.cbwv` file of static word
    /// vectors (`WordVectors`): every question is then embedded from them, by the engine
    /// itself. `savingTo` saves the index there too (see `Engine.build`). Returns the parsed
    /// knowledge base too, for its warnings.
    ///
    /// Throws kind `io` (unreadable file), `invalidSource` (a malformed source or synonyms
    /// file; a template's every problem in `diagnostics`) or `invalidArgument` (vectors that
    /// do not fit, settings out of range).
    public static func build(sourcePath: String, synonymsPath: String? = nil, questionVectors: [[Float]]? = nil,
                             options: FeatureOptions = FeatureOptions(), learning: LearningOptions = LearningOptions(),
                             settings: DecisionSettings? = nil, smallTalk: Bool = false, wordVectorsPath: String? = nil,
                             warmStart: Engine? = nil, savingTo path: String? = nil,
                             progress: ((Int, Int) -> Void)? = nil) throws(ChatbotError) -> (engine: Engine, knowledgeBase: KnowledgeBase) {
        var kb = try KnowledgeSource.load(path: sourcePath)
        if let vectors = questionVectors {
            try kb.attachVectors(vectors, sourceName: sourcePath)
        }
        if smallTalk {
            guard questionVectors == nil else {
                throw ChatbotError.invalidArgument("the small-talk pack has no question vectors: build with vectors or with the small-talk pack, not both")
            }
            kb = SmallTalkPack.merged(into: kb)
        }
        var groups: [[String]] = []
        if let s = synonymsPath {
            // Synonym entries are matched on analysed terms, so they go through the same analyser as questions.
            let analyzer = options.makeAnalyzer()
            groups = try SynonymTable.load(path: s) { options.wordTerms(of: analyzer.analyze($0)) }.groups
        }
        let wordVectors = try wordVectorsPath.map { path throws(ChatbotError) in try WordVectors(cbwv: readFile(path, maxBytes: InputLimits.maxWordVectorBytes), name: path) }
        let engine = try Engine.build(kb, synonyms: groups, options: options, settings: settings ?? DecisionSettings(),
                                      learning: learning, wordVectors: wordVectors, warmStart: warmStart, savingTo: path,
                                      progress: progress)
        return (engine, kb)
    }
}
