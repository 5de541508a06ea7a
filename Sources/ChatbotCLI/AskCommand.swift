#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ChatbotErrors
import ChatbotEngine
import QuestionLog

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask questions: from the arguments, or one per stdin line."
    )

    @Argument(help: "Index file, or a knowledge-base source compiled on the fly.")
    var indexOrSource: String

    @Argument(help: "Questions. Without any, questions are read from stdin, one per line.")
    var questions: [String] = []

    @Option(name: .customLong("top"), help: "Number of items to return (1–1000).")
    var top: Int = 5

    @Flag(help: "Print one JSON object per question.")
    var json = false

    @Option(help: "Only consider items of this category.")
    var category: String?

    @Option(help: "Synonyms file (only when compiling a source on the fly).")
    var synonyms: String?

    @Option(name: .customLong("embedding-weight"),
            help: "Weight of the embedding cosine in the hybrid score, 0–1 (overrides the index's setting, default 0.5).")
    var embeddingWeight: Float?

    @Option(name: .customLong("query-vectors"), help: "Embeddings of the questions (.npy), one row per question, for hybrid matching.")
    var queryVectors: String?

    @Option(help: "Log every question to this question log (SQLite; created when missing). A log that cannot be written is reported once and the questions are still answered.")
    var log: String?

    @Option(help: "Conversation id written to the log (default: cli-PID).")
    var conversation: String?

    @Option(help: "Channel name written to the log.")
    var channel: String?

    @Flag(help: "Map the index file instead of reading it into memory: opens in milliseconds at any size and verifies the contents at the first question. Only for index files replaced by renaming, never rewritten in place.")
    var map = false

    @OptionGroup(title: "Decision thresholds (default: the index's)")
    var decision: DecisionOptions

    func validate() throws {
        guard (1...MatchOptions.maxTopK).contains(top) else {
            throw ValidationError("--top must be between 1 and \(MatchOptions.maxTopK)")
        }
        if log == nil && (conversation != nil || channel != nil) {
            throw ValidationError("--conversation and --channel need --log")
        }
    }

    func run() throws {
        var engine = try withOverrides(loadEngine(indexOrSource, synonymsPath: synonyms, loading: map ? .map : .copy),
                                       embeddingWeight: embeddingWeight)
        if !decision.isEmpty { engine = try engine.withSettings(decision.applied(to: engine.settings)) }
        let vectors = try queryVectors.map(readNPYRows)
        var out = OutputBuffer()
        var index = 0
        // Rows are written by a background thread in batches, so that logging costs a match
        // a queue append rather than a transaction.
        let recorder = log.map { path in
            QuestionRecorder(log: QuestionLog(recordingTo: path) { failure in
                printError("warning: \(failure); questions are answered but not logged")
            })
        }
        let conversationID = conversation ?? "cli-\(getpid())"
        let kbVersion = "\(engine.writerVersion) \(indexOrSource)"
        func answer(_ question: String) throws {
            var options = MatchOptions(topK: top, category: category)
            if let vectors {
                guard index < vectors.count else {
                    throw ChatbotError.usage("--query-vectors has \(vectors.count) rows but more questions were asked")
                }
                options.queryVector = vectors[index]
            }
            index += 1
            let t0 = monotonicNanoseconds()
            let result = try engine.match(question, options: options)
            if let recorder {
                let latency = Int64((monotonicNanoseconds() - t0) / 1000)
                recorder.record(QuestionRecord(question: question, result: result, conversation: conversationID, channel: channel,
                                                  latencyMicroseconds: latency, knowledgeBaseVersion: kbVersion))
            }
            if json {
                result.jsonBytes(question: question).withUnsafeBufferPointer { out.write(bytes: $0) }
            } else {
                out.write(matchText(question, result))
            }
            out.write("\n")
        }
        var refused = 0
        if questions.isEmpty {
            // A refused line still uses its --query-vectors row, so that the next lines keep theirs.
            refused = try forEachStdinText("question", onRefused: { index += 1 }, answer)
        } else {
            for q in questions { try answer(q) }
        }
        out.flush()
        if let recorder {
            let waiting = recorder.flush()
            if waiting > 0 {
                printError("warning: \(waiting) questions wait for the log's database, which is unreachable; waiting at most \(QuestionRecorder.closeGraceMilliseconds / 1000) s more")
            }
            if recorder.droppedCount > 0 {
                printError("warning: \(recorder.droppedCount) questions were not logged (the log's queue was full)")
            }
        }
        if let vectors, index != vectors.count {
            throw ChatbotError.usage("--query-vectors has \(vectors.count) rows but \(index) questions were asked")
        }
        if refused > 0 { throw refusedLinesError(refused, "a question") }
    }
}

/// Short text form: the decision and its item(s) on the first line(s), then the reply's
/// messages as the user would see them (texts, images, buttons).
func matchText(_ question: String, _ r: MatchResult) -> String {
    var s = "? \(question)\n"
    switch r.decision {
    case .answer:
        let m = r.matches[0]
        s += "  answer    \(m.id) (\(formatScore(m.score)))"
        if r.reply.isEmpty { s += " « \(m.question) »" }
    case .suggest:
        for (i, m) in r.suggestions.map({ r.matches[$0] }).enumerated() {
            s += (i == 0 ? "  suggest   " : "\n            ") + "\(m.id) (\(formatScore(m.score))) « \(m.question) »"
        }
        return s
    case .fallback:
        s += "  fallback  no item is close enough"
        if let m = r.matches.first { s += " (best: \(m.id), \(formatScore(m.score)))" }
    }
    if !r.reply.isEmpty { s += "\n" + messagesText(r.reply) }
    return s
}

/// Four decimals: enough to order results, short enough to read.
func formatScore(_ x: Float) -> String {
    let v = (Double(x) * 10_000).rounded() / 10_000
    var s = String(v)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}
