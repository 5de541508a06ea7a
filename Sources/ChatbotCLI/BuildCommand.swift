import ArgumentParser
import ChatbotEngine
import VectorSearch

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile a knowledge base (.tsv, .csv or .json) into an index file."
    )

    @Argument(help: "Knowledge-base source: .tsv (id<TAB>question), .csv or .json.")
    var source: String

    @Option(name: .shortAndLong, help: "Index file to write.")
    var output: String

    @Option(help: "Synonyms file: one group per line, entries separated by ';'.")
    var synonyms: String?

    @Option(help: "Precomputed question embeddings (.npy, float32/float16, one row per question in source order).")
    var vectors: String?

    func run() throws {
        let t0 = monotonicNanoseconds()
        let vectorRows = try vectors.map(readNPYRows)
        let (engine, _) = try buildEngine(sourcePath: source, synonymsPath: synonyms, vectors: vectorRows)
        try writeFileAtomically(output, bytes: engine.indexBytes)
        let ms = Double(monotonicNanoseconds() - t0) / 1e6
        var msg = "built \(output): \(engine.itemCount) items, \(engine.questionCount) questions, \(engine.featureCount) features"
        if engine.embeddingDimension > 0 { msg += ", \(engine.embeddingDimension)-d embeddings" }
        printError(msg + " in \(Int(ms)) ms")
    }
}
