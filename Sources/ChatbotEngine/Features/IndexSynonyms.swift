import FrenchText

extension SynonymTable {
    /// The table as the engine uses it: entries analysed exactly like questions.
    static func forIndex(groups: [[String]], options: FeatureOptions) throws(EngineError) -> SynonymTable {
        let analyzer = options.makeAnalyzer()
        do {
            return try SynonymTable(groups: groups) { options.wordTerms(of: analyzer.analyze($0)) }
        } catch let e as SourceDiagnostic {
            throw .source(e)
        } catch {
            throw .invalidArgument("invalid synonyms: \(error)")
        }
    }
}
