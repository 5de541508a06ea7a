import ArgumentParser
import ChatbotErrors
import ChatbotEngine
import VectorSearch

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile a knowledge base (.xlsx, .ods, .csv, .tsv or .json) into an index file.",
        discussion: "Source formats, from the extension (or the content, for a file without one): the Usine à chatbots template as .xlsx or .ods (first sheet) or as its CSV export; the engine's own .csv, .tsv (id<TAB>question) and .json. Every error and warning of the file is printed as FILE:ROW: error|warning: MESSAGE, then a summary line."
    )

    @Argument(help: "Knowledge-base source: .xlsx, .ods or .csv (Usine à chatbots template), or .csv, .tsv, .json.")
    var source: String

    @Flag(name: .customLong("small-talk"), help: "Merge the built-in French small-talk pack (greetings, thanks, insults, \"are you a robot?\"…); the base's own st_ items win.")
    var smallTalk = false

    @Flag(help: "Print only errors and the summary line, not warnings.")
    var quiet = false

    @OptionGroup(title: "Decision thresholds stored in the index (default: the library's)")
    var decision: DecisionOptions

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

    @Flag(name: .customLong("fold-accents"), inversion: .prefixedNo, help: "Fold accents after stemming (default on).")
    var foldAccents = true

    @Flag(name: .customLong("stop-word-ngrams"), help: "Take character n-grams from stop words too.")
    var stopWordNGrams = false

    @Option(name: .customLong("char-weight"), help: "Weight of the character n-gram block relative to the word block (default 1).")
    var charWeight: Float?

    @Flag(name: .customLong("learn"), inversion: .prefixedNo,
          help: "Learn one vector per item and calibrate confidences (default on; --no-learn: nearest-question cosine only).")
    var learn = true

    @Option(help: "Seed of the learned model's example order and calibration folds (stored in the index).")
    var seed: UInt64?

    @Option(help: "Training passes over the questions (default 6).")
    var epochs: Int?

    @Option(help: "L2 penalty of the learned model (default 1e-5).")
    var l2: Float?

    @Option(name: .customLong("learning-rate"), help: "AdaGrad step size of the learned model (default 0.5).")
    var learningRate: Float?

    @Option(name: .customLong("calibration-folds"), help: "Cross-validation folds for the confidence calibration, 2-20 (default: 10 up to 2,000 questions, 3 above).")
    var calibrationFolds: Int?

    @Option(name: .customLong("embedding-scale"),
            help: "With --vectors or --word-vectors: weight of a question's embedding among the learned model's inputs (default 2 with --vectors, 0.5 with --word-vectors: the best with few questions per item). With --vectors every question asked must then bring its vector (--query-vectors). 0: embeddings only enter the nearest-question cosine.")
    var embeddingScale: Float?

    @Option(name: .customLong("word-vectors"),
            help: "Static French word vectors (.cbwv, made by scripts/distill_word_vectors.py; see the README): the engine embeds every question from them, at build and at question time, and its model learns from the embeddings too.")
    var wordVectors: String?

    @Flag(help: "Warm-start from the existing OUTPUT index when it is compatible (same feature, synonym and learning settings): much faster after small edits.")
    var update = false

    func learningOptions() -> LearningOptions {
        var l = LearningOptions()
        l.enabled = learn
        if let seed { l.seed = seed }
        if let epochs { l.epochs = epochs }
        if let calibrationFolds { l.calibrationFolds = calibrationFolds }
        if let l2 { l.l2 = l2 }
        if let learningRate { l.learningRate = learningRate }
        if let embeddingScale {
            if wordVectors != nil { l.wordVectorScale = embeddingScale } else { l.embeddingScale = embeddingScale }
        }
        return l
    }

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
        o.foldAccents = foldAccents
        if let w = charWeight { o.charBlockWeight = w }
        return o
    }

    func run() throws {
        // `build kb.csv -o kb.csv` used to replace the spreadsheet with the index (issue 13).
        for (input, role) in [(source, "knowledge-base source"), (synonyms, "synonyms file"), (vectors, "vectors file"),
                              (wordVectors, "word-vector file")] {
            if let input, isSameFile(input, output) {
                throw ChatbotError.usage("refusing to write the index over \(input): it is the \(role) of this build; choose another -o")
            }
        }
        let t0 = monotonicNanoseconds()
        let vectorRows = try vectors.map(readNPYRows)
        var previous: Engine? = nil
        if update {
            if isIndexFile(output) {
                // Mapped, not copied (a 100,000-question index is 120 MB), then verified
                // whole, so that a damaged index still means a cold build.
                do {
                    let mapped = try Engine(contentsOf: output, loading: .map)
                    try mapped.verify()
                    previous = mapped
                } catch {
                    printError("note: cold build, \(output) cannot be read: \(error)")
                }
            } else {
                printError("note: cold build, \(output) is not an existing index")
            }
        }
        let (engine, _) = try buildEngine(sourcePath: source, synonymsPath: synonyms, vectors: vectorRows, options: featureOptions(),
                                          learning: learningOptions(),
                                          settings: decision.isEmpty ? nil : decision.applied(to: DecisionSettings()),
                                          smallTalk: smallTalk, quiet: quiet, alwaysSummarise: true,
                                          wordVectorsPath: wordVectors, warmStart: previous, savingTo: output)
        let ms = Double(monotonicNanoseconds() - t0) / 1e6
        var msg = "built \(output): \(engine.itemCount) items, \(engine.questionCount) questions, \(engine.featureCount) features"
        if engine.messageOnlyItemCount > 0 { msg += " (+\(engine.messageOnlyItemCount) items without questions)" }
        if engine.hasWordVectors {
            msg += ", \(engine.embeddingDimension)-d word vectors for \(engine.wordVectorTermCount) terms"
        } else if engine.embeddingDimension > 0 {
            msg += ", \(engine.embeddingDimension)-d embeddings"
        }
        printError(msg + " in \(Int(ms)) ms")
    }
}
