#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import ChatbotEngine
import SystemPackage

/// Whether the file at `path` starts with the compiled index's magic number (`CBINDEX\0`).
/// Indexes are told from sources by their content, never by their name.
public func isCompiledIndexFile(_ path: String) -> Bool {
    // Not fopen: on a FIFO it would wait for a writer forever.
    guard let fd = try? openRegularFile(path) else { return false }
    defer { try? fd.close() }
    var magic = [UInt8](repeating: 0, count: 8)
    let count = try? magic.withUnsafeMutableBytes { try fd.read(into: $0) }
    return count == 8 && magic == Array("CBINDEX".utf8) + [0]
}

/// An index rebuilt from its updated source (`InboxApply.rebuildIndex`).
public struct IndexRebuild: Sendable, Equatable {
    public var path: String
    public var itemCount: Int
    public var questionCount: Int
    /// Whether the previous index warm-started the build (otherwise: a cold build).
    public var warmStart: Bool
    /// Wall time of the rebuild, from opening the previous index to the rename.
    public var milliseconds: Double
}

/// What `InboxApply.applyAndRebuild` did.
public struct InboxApplyResult: Sendable, Equatable {
    /// The reviewed questions that were waiting (accepted and out of scope).
    public var pendingCount: Int
    /// The write-back; empty when nothing was waiting.
    public var report: InboxApplyReport
    /// The source written (its previous content is `report.backupPath`).
    public var source: String
    /// What `afterApply` returned: the log rows marked applied.
    public var marked: Int
    /// The rebuilt index; nil when no index was given or the source did not change.
    public var rebuild: IndexRebuild?

    /// The report as JSON, the same facts `chatbot-cli inbox LOG apply` prints:
    /// `{"applied":N,"added":[…],"skipped":[…],"pending":[…],"warnings":[…],
    ///   "created_fallback_item":false,"source":"…","backup":"…"|null,"marked":N,
    ///   "index":"…"|null,"items":N|null,"questions":N|null,"warm_start":true|null,
    ///   "rebuild_ms":12.3|null}` where each question is `{"id":N,"item":"…","question":"…"}`:
    /// `added` were written into the source (`applied` is their number), `skipped` were
    /// already questions of their item (marked applied too), `pending` name an item the source
    /// does not have (left in the log, not applied); `warnings` are added questions that are
    /// also a question of `other_item`.
    package var jsonValue: JSONValue {
        func q(_ p: PendingAlternative) -> JSONValue {
            .object([("id", .number(Double(p.id))), ("item", .string(p.itemID)), ("question", .string(p.question))])
        }
        let warnings: [JSONValue] = report.alsoInOtherItem.map { p, other in
            .object([("id", .number(Double(p.id))), ("item", .string(p.itemID)), ("question", .string(p.question)),
                     ("other_item", .string(other))])
        }
        return .object([
            ("applied", .number(Double(report.added.count))),
            ("added", .array(report.added.map(q))),
            ("skipped", .array(report.alreadyPresent.map(q))),
            ("pending", .array(report.unknownItem.map(q))),
            ("warnings", .array(warnings)),
            ("created_fallback_item", .bool(report.createdFallbackItem)),
            ("source", .string(source)),
            ("backup", report.backupPath.map { .string($0) } ?? .null),
            ("marked", .number(Double(marked))),
            ("index", rebuild.map { .string($0.path) } ?? .null),
            ("items", rebuild.map { .number(Double($0.itemCount)) } ?? .null),
            ("questions", rebuild.map { .number(Double($0.questionCount)) } ?? .null),
            ("warm_start", rebuild.map { .bool($0.warmStart) } ?? .null),
            ("rebuild_ms", rebuild.map { .number(($0.milliseconds * 1000).rounded() / 1000) } ?? .null),
        ])
    }
}

extension InboxApply {
    /// Checks what `applyAndRebuild` would write before anything is read from the log:
    /// `source` must be a source in a format that can be written back (not a compiled index,
    /// not `.ods`), and `index`, when given, must not be the source itself nor an existing
    /// file that is not a compiled index. Throws `ChatbotError.invalidArgument`.
    public static func checkTargets(source: String, index: String?) throws(ChatbotError) {
        if isCompiledIndexFile(source) {
            throw .invalidArgument("\(source) is a compiled index: apply writes into the knowledge-base source it was built from")
        }
        if let index {
            if isSameFile(index, source) {
                throw .invalidArgument("the index \(index) is the source itself")
            }
            if fileExists(index) && !isCompiledIndexFile(index) {
                throw .invalidArgument("the index \(index) exists and is not a compiled index: it is not replaced")
            }
        }
        do { _ = try writableFormat(source) } catch {
            throw .invalidArgument(error.description)
        }
    }

    /// The inbox round trip after review: checks the targets (`checkTargets`), writes the
    /// `pending` questions into `source` (`apply`: a backup first, then an atomic rewrite),
    /// calls `afterApply` with the report — the host marks `report.appliedIDs` applied in its
    /// question log there and returns how many it marked —, then, when `index` is given and
    /// the source changed, rebuilds the index from the source (`rebuildIndex`: the previous
    /// index's settings, warm start, temporary file + rename).
    ///
    /// Nothing is written when `pending` is empty (`afterApply` is not called). Throws
    /// kind `invalidArgument` (targets), `invalidSource` (the source does not read), `io`
    /// (file access), and what `afterApply` throws; a rebuild
    /// failure comes after the source was written and the questions marked.
    public static func applyAndRebuild(_ pending: [PendingAlternative], toSource source: String, index: String?,
                                       nowMilliseconds: Int64? = nil,
                                       afterApply: (InboxApplyReport) throws(ChatbotError) -> Int) throws(ChatbotError) -> InboxApplyResult {
        try checkTargets(source: source, index: index)
        var result = InboxApplyResult(pendingCount: pending.count, report: InboxApplyReport(), source: source, marked: 0, rebuild: nil)
        guard !pending.isEmpty else { return result }
        result.report = try apply(pending, toSource: source, nowMilliseconds: nowMilliseconds)
        result.marked = try afterApply(result.report)
        if let index, result.report.backupPath != nil {
            result.rebuild = try rebuildIndex(index, fromSource: source)
        }
        return result
    }

    /// Rebuilds the index at `index` from `source` with the settings stored in the previous
    /// index (synonyms, feature options, decision settings, learning; the small-talk pack when
    /// it had it), warm-started from it, and renames the new file over it: a process that
    /// reloads sees the old or the new index, never a torn file. Without a previous index, a
    /// cold build with the defaults. Refuses an index that holds question embeddings (the
    /// vectors must be supplied again: `ChatbotError.invalidArgument`).
    /// Whether `engine` holds a small-talk item that the source (`ids`) does not.
    private static func hasSmallTalk(_ engine: Engine, besides ids: Set<String>) throws(ChatbotError) -> Bool {
        for item in SmallTalkPack.items where !ids.contains(item.id) {
            if try engine.item(id: item.id) != nil { return true }
        }
        return false
    }

    public static func rebuildIndex(_ index: String, fromSource source: String) throws(ChatbotError) -> IndexRebuild {
        let t0 = monotonicNanoseconds()
        let previous: Engine? = isCompiledIndexFile(index) ? try Engine(contentsOf: index) : nil
        if let previous, previous.embeddingDimension > 0 {
            throw ChatbotError.invalidArgument(
                "\(index) holds question embeddings: rebuild it with chatbot-cli build --vectors (the source was updated)")
        }
        var kb = try KnowledgeSource.load(path: source)
        // An index built with the small-talk pack has the pack's items: keep them.
        let ids = Set(kb.items.map(\.id))
        if let previous, try hasSmallTalk(previous, besides: ids) {
            kb = SmallTalkPack.merged(into: kb)
        }
        var learning = LearningOptions()
        if let previous { if let l = previous.learningOptions { learning = l } else { learning.enabled = false } }
        let engine = try Engine.build(kb, synonyms: previous?.synonymGroups ?? [], options: previous?.featureOptions ?? FeatureOptions(),
                                      settings: previous?.settings ?? DecisionSettings(), learning: learning, warmStart: previous)
        let warm = previous.map {
            $0.warmStartProblem(synonyms: engine.synonymGroups, options: engine.featureOptions, learning: learning) == nil
        } ?? false
        try writeFileAtomically(index, bytes: engine.indexBytes)
        let ms = Double(monotonicNanoseconds() - t0) / 1e6
        return IndexRebuild(path: index, itemCount: engine.itemCount, questionCount: engine.questionCount, warmStart: warm,
                            milliseconds: ms)
    }
}

extension TemplateExport {
    /// Why an export would not write its output.
    public enum OutputRefusal: Sendable, Equatable {
        /// The output is neither `.xlsx` nor `.csv`.
        case unsupportedExtension
        /// The output is the input file itself (never replaced, even with `overwrite`).
        case isInput
        /// The output is a compiled index (never replaced).
        case isIndex
        /// The output exists and `overwrite` is false.
        case exists
    }

    /// Whether `output` may be written by an export of `input`.
    public static func refusal(output: String, input: String, overwrite: Bool) -> OutputRefusal? {
        let lower = output.lowercased()
        guard lower.hasSuffix(".xlsx") || lower.hasSuffix(".csv") else { return .unsupportedExtension }
        guard fileExists(output) else { return nil }
        if isSameFile(input, output) { return .isInput }
        if isCompiledIndexFile(output) { return .isIndex }
        return overwrite ? nil : .exists
    }

    /// Writes the base of `input` (a compiled index, or any source `KnowledgeSource` reads) as
    /// the template at `output`: a workbook for `.xlsx`, the CSV export for `.csv`, replaced
    /// atomically (temporary file + rename). Returns the base written.
    /// Throws kind `invalidArgument` (a refusal, see `refusal`), `invalidSource` (the source
    /// does not read), `invalidIndex` (the index does not open) or `io` (file access).
    @discardableResult
    public static func export(_ input: String, to output: String, overwrite: Bool) throws(ChatbotError) -> KnowledgeBase {
        if let r = refusal(output: output, input: input, overwrite: overwrite) {
            switch r {
            case .unsupportedExtension: throw ChatbotError.invalidArgument("\(output): the template is written as .xlsx or .csv")
            case .isInput: throw ChatbotError.invalidArgument("\(output) is the input itself: choose another output file")
            case .isIndex: throw ChatbotError.invalidArgument("\(output) is a compiled index: it is never overwritten by an export")
            case .exists: throw ChatbotError.invalidArgument("\(output) exists: pass overwrite to replace it")
            }
        }
        let kb = isCompiledIndexFile(input) ? try knowledgeBase(of: Engine(contentsOf: input)) : try KnowledgeSource.load(path: input)
        let bytes = output.lowercased().hasSuffix(".xlsx") ? try xlsx(kb) : csv(kb)
        try writeFileAtomically(output, bytes: bytes)
        return kb
    }
}

