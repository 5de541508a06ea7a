import ArgumentParser
import FrenchText

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print the index terms of each stdin line (or, with --json, every token)."
    )

    @Flag(help: "Print one JSON array per line: tokens with offsets, normalised form, stem, term, folded form, stop-word flag.")
    var json = false

    func run() throws {
        let analyzer = Analyzer()
        var out = OutputBuffer()
        // Lines analysed before an invalid one are still printed.
        defer { out.flush() }
        try forEachStdinLine { line in
            let tokens = analyzer.analyze(line)
            if json {
                out.write(analysisJSON(tokens))
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

func analysisJSON(_ tokens: [AnalyzedToken]) -> String {
    var s = "["
    for (i, t) in tokens.enumerated() {
        if i > 0 { s += "," }
        s += "{\"text\":\(jsonString(t.token.text)),\"start\":\(t.token.byteRange.lowerBound),\"end\":\(t.token.byteRange.upperBound),"
        s += "\"kind\":\"\(t.token.kind.rawValue)\",\"stem\":\(jsonString(t.stem)),\"term\":\(jsonString(t.term)),\"folded\":\(jsonString(t.folded)),\"stop\":\(t.isStopWord)}"
    }
    return s + "]"
}
