import Anonymizer
import ArgumentParser
import ChatbotEngine

struct AnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Mask personal data (e-mail, phone, NIR, IBAN, card, host patterns) in each stdin line.",
        discussion: """
        One output line per input line; a line holding a NUL byte is refused (as the C API and \
        the bindings refuse it): a message on stderr, no output line, exit status 1 at the end. A pattern is NAME=TEMPLATE, where in TEMPLATE `#` is a digit, \
        `@` a letter, `\\` escapes, anything else is literal: --pattern 'MATRICULE=M######'.
        """
    )

    @Option(name: .customLong("pattern"), help: "A host pattern NAME=TEMPLATE, masked as [NAME] (repeatable).")
    var patterns: [String] = []

    @Flag(help: "Print one JSON object per line: {\"text\", \"redactions\": [{\"kind\", \"start\", \"end\"}]} (UTF-8 byte offsets into the input line).")
    var json = false

    func run() throws {
        var hostPatterns: [AnonymizerPattern] = []
        for p in patterns {
            guard let eq = p.firstIndex(of: "=") else {
                throw ValidationError("--pattern must be NAME=TEMPLATE, got \"\(p)\"")
            }
            hostPatterns.append(AnonymizerPattern(name: String(p[..<eq]), pattern: String(p[p.index(after: eq)...])))
        }
        let anonymizer: Anonymizer
        do {
            anonymizer = try Anonymizer(patterns: hostPatterns)
        } catch {
            throw ValidationError("--pattern: \(error)")
        }
        var out = OutputBuffer()
        let refused = try forEachStdinText("text") { line in
            let result = anonymizer.anonymize(line)
            if json {
                let object = JSONValue.object([
                    ("text", .string(result.text)),
                    ("redactions", .array(result.redactions.map { r in
                        .object([("kind", .string(r.kind)), ("start", .int(r.range.lowerBound)), ("end", .int(r.range.upperBound))])
                    })),
                ])
                out.write(object.serialized() + "\n")
            } else {
                out.write(result.text)
                out.write("\n")
            }
        }
        out.flush()
        if refused > 0 { throw refusedLinesError(refused, "a text") }
    }
}
