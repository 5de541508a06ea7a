import ChatbotErrors
import ArgumentParser
import ChatbotEngine
import KnowledgeSources
import QuestionLog

/// `inbox LOG.db apply SOURCE [--index INDEX]`: the reviewed questions go into the source the
/// business side maintains, then (optionally) into the deployed index. The work is
/// `InboxApply.applyAndRebuild` (KnowledgeSources); this prints what it did.
struct InboxApplyRun {
    let log: QuestionLog
    let source: String
    let index: String?

    func run() throws {
        do { try InboxApply.checkTargets(source: source, index: index) } catch { throw ChatbotError.usage(cliMessage(error)) }
        let accepted = try log.acceptedQuestions(), outOfScope = try log.outOfScopeQuestions()
        let pending = (accepted + outOfScope).map { PendingAlternative(id: $0.id, itemID: $0.itemID, question: $0.question) }
        if pending.isEmpty {
            print("nothing to apply: no accepted or out-of-scope question waits in \(log.path)")
            return
        }
        let result: InboxApplyResult
        do {
            result = try InboxApply.applyAndRebuild(pending, toSource: source, index: index) { (report) throws(ChatbotError) in
                let marked = try log.markApplied(report.appliedIDs)
                print(describe(report, marked: marked), terminator: "")
                return marked
            }
        } catch {
            guard !error.diagnostics.isEmpty else { throw error }
            printDiagnostics(error.diagnostics, file: source, quiet: true, built: false)
            throw ExitCode(1)
        }
        if let r = result.rebuild {
            print("rebuilt \(r.path): \(r.itemCount) items, \(r.questionCount) questions in \(Int(r.milliseconds.rounded())) ms (\(r.warmStart ? "warm start" : "cold build"))")
        } else if let index {
            print("\(index) unchanged")
        }
    }

    /// The CLI's wording of a target refusal (`--index` is the option's name here).
    private func cliMessage(_ error: ChatbotError) -> String {
        guard error.kind == .invalidArgument else { return error.description }
        let m = error.message
        if let index, m.hasPrefix("the index \(index) ") { return "--index \(index) " + m.dropFirst("the index \(index) ".count) }
        return m
    }

    private func describe(_ report: InboxApplyReport, marked: Int) -> String {
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
        out += "marked \(marked) logged question\(marked == 1 ? "" : "s") applied\n"
        return out
    }
}
