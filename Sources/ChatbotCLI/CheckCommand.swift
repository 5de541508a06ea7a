import ChatbotErrors
import ArgumentParser
import ChatbotEngine
import KnowledgeSources

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Read a knowledge-base source and report every error and warning, without building anything.",
        discussion: "The same reading as `build` (any source format), in a fraction of the time: what an HR user runs after each edit of the spreadsheet. Exits 1 when the file has errors."
    )

    @Argument(help: "Knowledge-base source: .xlsx, .ods, .csv, .tsv or .json.")
    var source: String

    @Flag(help: "Print only errors and the summary line, not warnings.")
    var quiet = false

    @Flag(help: "Print the diagnostics as one JSON object on stdout: {\"items\", \"questions\", \"diagnostics\": [...]}.")
    var json = false

    func run() throws {
        let t0 = monotonicNanoseconds()
        let kb: KnowledgeBase
        do {
            kb = try KnowledgeSource.load(path: source)
        } catch {
            guard !error.diagnostics.isEmpty else { throw error }
            try emit(error.diagnostics, kb: nil)
            throw ExitCode(1)
        }
        try emit(kb.warnings, kb: kb)
        if !json {
            let ms = Double(monotonicNanoseconds() - t0) / 1e6
            let questions = kb.items.reduce(0) { $0 + $1.questions.count }
            printError("read \(source): \(kb.items.count) items, \(questions) questions in \(formatFixed(ms, 1)) ms")
        }
    }

    private func emit(_ diagnostics: [SourceDiagnostic], kb: KnowledgeBase?) throws {
        guard json else {
            printDiagnostics(diagnostics, file: source, quiet: quiet, built: kb != nil)
            return
        }
        let shown = diagnostics.filter { !(quiet && $0.severity == .warning) }
        let value = JSONValue.object([
            ("valid", .bool(kb != nil)),
            ("items", .number(Double(kb?.items.count ?? 0))),
            ("questions", .number(Double(kb?.items.reduce(0) { $0 + $1.questions.count } ?? 0))),
            ("diagnostics", .array(shown.map(\.jsonValue))),
        ])
        var out = OutputBuffer()
        out.write(value.serialized() + "\n")
        out.flush()
    }
}
