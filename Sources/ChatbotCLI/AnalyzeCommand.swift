import ArgumentParser
import ChatbotEngine
import FrenchText

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print the index terms of each stdin line (or, with --json, every token)."
    )

    @Flag(help: "Print one JSON object per line, as cb_analyze_json: tokens with offsets, normalised form, stem, term, folded form, stop-word flag; and the terms.")
    var json = false

    func run() throws {
        let analyzer = Analyzer()
        var out = OutputBuffer()
        // Lines analysed before an invalid one are still printed.
        defer { out.flush() }
        try forEachStdinLine { line in
            let tokens = analyzer.analyze(line)
            if json {
                out.write(analysisJSON(tokens: tokens, terms: tokens.filter { !$0.isStopWord }.map(\.term)).serialized())
            } else {
                var first = true
                for t in tokens where !t.isStopWord {
                    if !first { out.write(byte: 0x20) }
                    out.write(t.term)
                    first = false
                }
            }
            out.write(byte: 0x0A)
        }
    }
}
