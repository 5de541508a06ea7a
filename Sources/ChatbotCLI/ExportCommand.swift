#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ChatbotEngine
import KnowledgeSources

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a knowledge base (a compiled index, or any source) as the Usine à chatbots template: .xlsx or .csv.",
        discussion: """
        export INDEX|SOURCE -o FILE.xlsx|FILE.csv [--force]
        Every item with its category, questions, messages and expiry; hidden flags, attributes and
        vectors have no column in the template. From an index built with --small-talk, the pack's
        st_ items are exported too. An existing FILE is only replaced with --force, and never when
        it is the input itself or a compiled index.
        """
    )

    @Argument(help: "A compiled index, or a knowledge-base source (.xlsx, .ods, .csv, .tsv, .json).")
    var input: String

    @Option(name: .shortAndLong, help: "The workbook (.xlsx) or CSV export (.csv) to write.")
    var output: String

    @Flag(help: "Replace OUTPUT when it exists.")
    var force = false

    func run() throws {
        let lower = output.lowercased()
        guard lower.hasSuffix(".xlsx") || lower.hasSuffix(".csv") else {
            throw CLIError("\(output): export writes .xlsx or .csv (the Usine template)")
        }
        try refuseOverwrite(output, input: input, force: force)
        let kb: KnowledgeBase
        if isIndexFile(input) {
            kb = try TemplateExport.knowledgeBase(of: Engine(contentsOf: input))
        } else {
            kb = try loadSourceReportingProblems(input)
        }
        let bytes = lower.hasSuffix(".xlsx") ? try TemplateExport.xlsx(kb) : TemplateExport.csv(kb)
        try writeFileAtomically(output, bytes: bytes)
        let questions = kb.items.reduce(0) { $0 + $1.questions.count }
        print("exported \(kb.items.count) items, \(questions) questions, \(TemplateExport.rows(kb).count) rows to \(output)")
    }
}

/// Refuses to write `path` when it exists (unless `force`), and always when it is the
/// `input` itself or a compiled index.
func refuseOverwrite(_ path: String, input: String, force: Bool) throws {
    var target = stat(), source = stat()
    guard stat(path, &target) == 0 else { return }
    if stat(input, &source) == 0 && source.st_dev == target.st_dev && source.st_ino == target.st_ino {
        throw CLIError("\(path) is the input itself: choose another output file")
    }
    if isIndexFile(path) { throw CLIError("\(path) is a compiled index: it is never overwritten by an export") }
    if !force { throw CLIError("\(path) exists: use --force to replace it") }
}

/// A source, its problems printed as `build` prints them; exit 1 when it does not read.
func loadSourceReportingProblems(_ path: String) throws -> KnowledgeBase {
    do {
        return try KnowledgeSource.load(path: path)
    } catch let report as SourceReport {
        printDiagnostics(report.diagnostics, file: path, quiet: true, built: false)
        throw ExitCode(1)
    } catch let diagnostic as SourceDiagnostic {
        printDiagnostics([diagnostic], file: path, quiet: true, built: false)
        throw ExitCode(1)
    }
}
