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

    @Option(name: .customLong("char-ngrams"), help: "Character n-gram lengths, MIN-MAX (default 3-5; 0-0 disables them).")
    var charNGrams: String?

    @Flag(name: .customLong("word-bigrams"), inversion: .prefixedNo, help: "Add pairs of consecutive terms as features (default on).")
    var wordBigrams = true

    @Flag(name: .customLong("drop-negations"), help: "With --remove-stop-words, also drop French negation words (ne, pas, jamais…).")
    var dropNegations = false

    @Flag(name: .customLong("remove-stop-words"), help: "Leave Snowball French stop words out of the word terms.")
    var removeStopWords = false

    @Flag(name: .customLong("stop-word-ngrams"), help: "Take character n-grams from stop words too.")
    var stopWordNGrams = false

    @Option(name: .customLong("char-weight"), help: "Weight of the character n-gram block relative to the word block (default 1).")
    var charWeight: Float?

    /// Feature options from the flags; the defaults are what the README's accuracy section justifies.
    func featureOptions() throws -> FeatureOptions {
        var o = FeatureOptions()
        if let r = charNGrams {
            let parts = r.split(separator: "-").map { Int($0) }
            guard parts.count == 2, let lo = parts[0], let hi = parts[1] else {
                throw ValidationError("--char-ngrams expects MIN-MAX, e.g. 3-5")
            }
            if lo == 0 && hi == 0 { o.charBlockWeight = 0 } else { o.charNGramMin = lo; o.charNGramMax = hi }
        }
        o.wordBigrams = wordBigrams
        o.keepNegations = !dropNegations
        o.removeStopWords = removeStopWords
        if stopWordNGrams { o.charNGramsOfStopWords = true }
        if let w = charWeight { o.charBlockWeight = w }
        return o
    }

    func run() throws {
        let t0 = monotonicNanoseconds()
        let vectorRows = try vectors.map(readNPYRows)
        let (engine, _) = try buildEngine(sourcePath: source, synonymsPath: synonyms, vectors: vectorRows, options: featureOptions())
        try writeFileAtomically(output, bytes: engine.indexBytes)
        let ms = Double(monotonicNanoseconds() - t0) / 1e6
        var msg = "built \(output): \(engine.itemCount) items, \(engine.questionCount) questions, \(engine.featureCount) features"
        if engine.embeddingDimension > 0 { msg += ", \(engine.embeddingDimension)-d embeddings" }
        printError(msg + " in \(Int(ms)) ms")
    }
}
