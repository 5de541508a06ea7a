import FrenchText

extension Engine {
    /// Reads a knowledge-base source (`.tsv`, `.csv` or `.json`) and an optional synonyms
    /// file, and compiles them into an engine held in memory.
    ///
    /// Shared by the command-line tool and the C interface so that both accept exactly the
    /// same files. `questionVectors`, when given, holds one embedding per question in
    /// knowledge-base order: items in order of first appearance, each item's questions in
    /// order (the same as line order when the rows of one id are adjacent).
    /// Returns the parsed knowledge base too, for its warnings.
    ///
    /// Throws `FileError` (unreadable file), `SourceDiagnostic` (malformed source or
    /// synonyms) or `EngineError` (vectors that do not fit, build failures).
    public static func build(sourcePath: String, synonymsPath: String? = nil, questionVectors: [[Float]]? = nil,
                             progress: ((Int, Int) -> Void)? = nil) throws -> (engine: Engine, knowledgeBase: KnowledgeBase) {
        var kb = try KnowledgeBaseLoader.load(path: sourcePath)
        if let vectors = questionVectors {
            let questionCount = kb.items.reduce(0) { $0 + $1.questions.count }
            guard vectors.count == questionCount else {
                throw EngineError.invalidArgument(
                    "the vectors file has \(vectors.count) rows but \(sourcePath) has \(questionCount) questions")
            }
            var row = 0
            for i in kb.items.indices {
                kb.items[i].questionVectors = kb.items[i].questions.map { _ in defer { row += 1 }; return vectors[row] }
            }
        }
        var groups: [[String]] = []
        if let s = synonymsPath {
            // Synonym entries are matched on analysed terms, so they go through the same analyser as questions.
            let analyzer = Analyzer()
            groups = try SynonymTable.load(path: s) { analyzer.terms($0) }.groups
        }
        let engine = try Engine.build(kb, synonyms: groups, progress: progress)
        return (engine, kb)
    }
}
