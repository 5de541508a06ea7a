#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import ArgumentParser
import ChatbotEngine
import FrenchText
import KnowledgeSources

/// Opens an index file, or builds an engine in memory when given a source file.
/// The two are told apart by the index magic number, not by the file name; a `.cbindex`
/// file without it is opened as an index anyway, so that an emptied or damaged index is
/// reported as one ("file is truncated") rather than as an unknown source format.
/// `loading` applies to index files (`--map`); a source is always compiled in memory.
func loadEngine(_ path: String, synonymsPath: String? = nil, loading: IndexLoading = .copy) throws -> Engine {
    if isIndexFile(path) || path.lowercased().hasSuffix(".cbindex") {
        if synonymsPath != nil { throw ChatbotError.usage("--synonyms applies to sources; \(path) is a compiled index") }
        return try Engine(contentsOf: path, loading: loading)
    }
    let (engine, _) = try buildEngine(sourcePath: path, synonymsPath: synonymsPath)
    return engine
}

/// The engine with command-line overrides of its stored decision settings.
func withOverrides(_ engine: Engine, embeddingWeight: Float?) throws -> Engine {
    guard let w = embeddingWeight else { return engine }
    var settings = engine.settings
    settings.embeddingWeight = w
    return try engine.withSettings(settings)
}

func isIndexFile(_ path: String) -> Bool { isCompiledIndexFile(path) }

/// Parses a source (and synonyms), printing its diagnostics on stderr, and compiles it.
///
/// Diagnostics print one per line as `FILE:ROW: error: MESSAGE` or `FILE:ROW: warning: …`,
/// then a summary line (with `alwaysSummarise`, also for a file without any); `quiet` keeps
/// only errors and the summary. A refused source prints
/// every problem of the file and exits with status 1.
func buildEngine(sourcePath: String, synonymsPath: String?, vectors: [[Float]]? = nil,
                 options: FeatureOptions = FeatureOptions(), learning: LearningOptions = LearningOptions(),
                 settings: DecisionSettings? = nil, smallTalk: Bool = false, quiet: Bool = false,
                 alwaysSummarise: Bool = false, wordVectorsPath: String? = nil,
                 warmStart: Engine? = nil, savingTo output: String? = nil) throws -> (Engine, KnowledgeBase) {
    let bar = ProgressBar(label: "build")
    let engine: Engine, kb: KnowledgeBase
    do {
        (engine, kb) = try Engine.build(sourcePath: sourcePath, synonymsPath: synonymsPath, questionVectors: vectors,
                                        options: options, learning: learning, settings: settings, smallTalk: smallTalk,
                                        wordVectorsPath: wordVectorsPath, warmStart: warmStart, savingTo: output) { done, _ in
            bar.update(done, total: 0)
        }
    } catch {
        bar.finish()
        guard !error.diagnostics.isEmpty else { throw error }
        printDiagnostics(error.diagnostics, file: sourcePath, quiet: quiet, built: false)
        throw ExitCode(1)
    }
    bar.finish()
    if let previous = warmStart {
        // The build used the previous index only if this names no difference.
        if let problem = previous.warmStartProblem(synonyms: engine.synonymGroups, options: options, learning: learning,
                                                   wordVectorsDigest: engine.wordVectorsDigest) {
            // About the model only: the analysis of unchanged questions can still come from the
            // previous index (it needs the same feature settings, synonyms and word vectors).
            printError(learning.enabled
                ? "note: the existing index cannot warm-start this model (\(problem)): it is trained from scratch"
                : "note: this build learns no model: the existing index's model is not used")
        } else {
            printError("note: warm start from the existing index")
        }
    }
    if !kb.warnings.isEmpty || alwaysSummarise { printDiagnostics(kb.warnings, file: sourcePath, quiet: quiet, built: true) }
    return (engine, kb)
}

/// The diagnostics, one per line, then `FILE: N errors, M warnings` and the outcome.
func printDiagnostics(_ diagnostics: [SourceDiagnostic], file: String, quiet: Bool, built: Bool) {
    var text = ""
    for d in diagnostics where !(quiet && d.severity == .warning) { text += d.report + "\n" }
    let errors = diagnostics.count { $0.severity == .error }, warnings = diagnostics.count - errors
    func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    text += "\(file): \(plural(errors, "error")), \(plural(warnings, "warning"))"
    text += built ? "\n" : "; nothing was built\n"
    writeStderr(text)
}

func printError(_ message: String) {
    writeStderr(message + "\n")
}

/// Unbuffered write to file descriptor 2 (no shared `FILE*` state).
func writeStderr(_ s: String) {
    var bytes = Array(s.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + off, $0.count - off) }
        if n <= 0 { break }
        off += n
    }
}

/// A progress line on stderr, drawn only when stderr is a terminal and the work is long.
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private let start = monotonicNanoseconds()
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(label: String) {
        self.label = label
        enabled = isatty(2) != 0
    }

    func update(_ done: Int, total: Int) {
        guard enabled else { return }
        let now = monotonicNanoseconds()
        // Only after half a second, at most ten redraws per second.
        guard now - start > 500_000_000, now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        drawn = true
        var line = "\r\(label): \(done)"
        if total > 0 {
            let width = 30
            let filled = min(width, done * width / total)
            line += "/\(total) [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "]"
        }
        writeStderr(line)
    }

    func finish() {
        if drawn { writeStderr("\r\u{1B}[K") }
    }
}
