import ArgumentParser
import ChatbotEngine

/// Decision thresholds settable on the command line; each one left out keeps the index's.
struct DecisionOptions: ParsableArguments {
    @Option(name: .customLong("answer-threshold"), help: "Answer when the best item's confidence reaches this (0–1).")
    var answerThreshold: Float?

    @Option(name: .customLong("margin"), help: "…and leads the second item by at least this much (0–1).")
    var margin: Float?

    @Option(name: .customLong("suggestion-floor"), help: "Offer items whose confidence reaches this (0–1).")
    var suggestionFloor: Float?

    @Option(name: .customLong("max-suggestions"), help: "Offer at most this many items (1–100).")
    var maxSuggestions: Int?

    var isEmpty: Bool { answerThreshold == nil && margin == nil && suggestionFloor == nil && maxSuggestions == nil }

    /// `base` with the given thresholds, validated.
    func applied(to base: DecisionSettings) throws -> DecisionSettings {
        var s = base
        if let answerThreshold { s.answerThreshold = answerThreshold }
        if let margin { s.ambiguityMargin = margin }
        if let suggestionFloor { s.suggestionFloor = suggestionFloor }
        if let maxSuggestions { s.maxSuggestions = maxSuggestions }
        try s.validate()
        return s
    }
}
