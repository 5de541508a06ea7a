#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
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
        switch TemplateExport.refusal(output: output, input: input, overwrite: force) {
        case .unsupportedExtension?: throw ChatbotError.usage("\(output): export writes .xlsx or .csv (the Usine template)")
        case .isInput?: throw ChatbotError.usage("\(output) is the input itself: choose another output file")
        case .isIndex?: throw ChatbotError.usage("\(output) is a compiled index: it is never overwritten by an export")
        case .exists?: throw ChatbotError.usage("\(output) exists: use --force to replace it")
        case nil: break
        }
        let kb: KnowledgeBase
        do {
            kb = try TemplateExport.export(input, to: output, overwrite: force)
        } catch {
            guard !error.diagnostics.isEmpty else { throw error }
            printDiagnostics(error.diagnostics, file: input, quiet: true, built: false)
            throw ExitCode(1)
        }
        let questions = kb.items.reduce(0) { $0 + $1.questions.count }
        print("exported \(kb.items.count) items, \(questions) questions, \(TemplateExport.rows(kb).count) rows to \(output)")
    }
}
