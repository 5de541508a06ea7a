import ChatbotErrors
import FrenchText

extension SynonymTable {
    /// The table as the engine uses it: entries analysed exactly like questions.
    static func forIndex(groups: [[String]], options: FeatureOptions) throws(ChatbotError) -> SynonymTable {
        let analyzer = options.makeAnalyzer()
        return try SynonymTable(groups: groups) { options.wordTerms(of: analyzer.analyze($0)) }
    }
}
