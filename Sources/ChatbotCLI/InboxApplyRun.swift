#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ChatbotEngine
import KnowledgeSources
import QuestionLog

/// `inbox LOG.db apply SOURCE [--index INDEX]`: the reviewed questions go into the source the
/// business side maintains, then (optionally) into the deployed index.
struct InboxApplyRun {
    let log: QuestionLog
    let source: String
    let index: String?

    func run() throws {
        if isIndexFile(source) { throw CLIError("\(source) is a compiled index: apply writes into the knowledge-base source it was built from") }
        if let index {
            var a = stat(), b = stat()
            if stat(index, &a) == 0 && stat(source, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino {
                throw CLIError("--index \(index) is the source itself")
            }
            if access(index, F_OK) == 0 && !isIndexFile(index) {
                throw CLIError("--index \(index) exists and is not a compiled index: it is not replaced")
            }
        }
        do { _ = try InboxApply.writableFormat(source) } catch let d as SourceDiagnostic { throw CLIError(d.description) }
        let accepted = try log.acceptedQuestions(), outOfScope = try log.outOfScopeQuestions()
        let pending = (accepted + outOfScope).map { PendingAlternative(id: $0.id, itemID: $0.itemID, question: $0.question) }
        if pending.isEmpty {
            print("nothing to apply: no accepted or out-of-scope question waits in \(log.path)")
            return
        }
        let report: InboxApplyReport
        do {
            report = try InboxApply.apply(pending, toSource: source)
        } catch let r as SourceReport {
            printDiagnostics(r.diagnostics, file: source, quiet: true, built: false)
            throw ExitCode(1)
        } catch let d as SourceDiagnostic {
            throw CLIError(d.description)
        }
        var out = ""
        for p in report.added { out += "+ \(p.itemID)\t\(p.question)\t(log \(p.id))\n" }
        for p in report.alreadyPresent { out += "= \(p.itemID)\t\(p.question)\t(log \(p.id), already a question of the item: skipped)\n" }
        for p in report.unknownItem { out += "! \(p.itemID)\t\(p.question)\t(log \(p.id), no such item in \(source): not applied)\n" }
        for (p, other) in report.alsoInOtherItem {
            out += "warning: \"\(p.question)\" (log \(p.id)) is now a question of both \(p.itemID) and \(other)\n"
        }
        if report.createdFallbackItem { out += "created \(ItemRole.fallbackID) with a default message: \"\(InboxApply.defaultFallbackText)\"\n" }
        if let backup = report.backupPath {
            out += "wrote \(source): \(report.added.count) question\(report.added.count == 1 ? "" : "s") added (previous file kept as \(backup))\n"
        } else {
            out += "\(source) unchanged: nothing new to add\n"
        }
        let marked = try log.markApplied(report.appliedIDs)
        out += "marked \(marked) logged question\(marked == 1 ? "" : "s") applied\n"
        print(out, terminator: "")
        if let index, report.backupPath != nil { try rebuild(index) }
        else if let index { print("\(index) unchanged") }
    }

    /// Rebuilds INDEX from the updated source with the settings stored in it, warm-started
    /// from it, and renames the new file over it (readers that reload see old or new, never a torn file).
    func rebuild(_ index: String) throws {
        let t0 = monotonicNanoseconds()
        let previous: Engine? = isIndexFile(index) ? try Engine(contentsOf: index) : nil
        if let previous, previous.embeddingDimension > 0 {
            throw CLIError("\(index) holds question embeddings: rebuild it with chatbot-cli build --vectors (the source was updated)")
        }
        var kb = try loadSourceReportingProblems(source)
        // An index built with --small-talk has the pack's items: keep them.
        let ids = Set(kb.items.map(\.id))
        if let previous, try SmallTalkPack.items.contains(where: { try !ids.contains($0.id) && previous.item(id: $0.id) != nil }) {
            kb = SmallTalkPack.merged(into: kb)
        }
        var learning = LearningOptions()
        if let previous { if let l = previous.learningOptions { learning = l } else { learning.enabled = false } }
        let engine = try Engine.build(kb, synonyms: previous?.synonymGroups ?? [], options: previous?.featureOptions ?? FeatureOptions(),
                                      settings: previous?.settings ?? DecisionSettings(), learning: learning, warmStart: previous)
        let warm = previous.map { $0.warmStartProblem(synonyms: engine.synonymGroups, options: engine.featureOptions, learning: learning) == nil } ?? false
        try writeFileAtomically(index, bytes: engine.indexBytes)
        let ms = Double(monotonicNanoseconds() - t0) / 1e6
        print("rebuilt \(index): \(engine.itemCount) items, \(engine.questionCount) questions in \(Int(ms.rounded())) ms (\(warm ? "warm start" : "cold build"))")
    }
}
