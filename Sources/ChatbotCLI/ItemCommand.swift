import ArgumentParser
import ChatbotErrors
import ChatbotEngine

struct ItemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "item",
        abstract: "Show one item by id: its questions and messages (how a host follows a button that targets an item)."
    )

    @Argument(help: "Index file, or a knowledge-base source compiled on the fly.")
    var indexOrSource: String

    @Argument(help: "The item's id.")
    var id: String

    @Flag(help: "Print the item as one JSON object.")
    var json = false

    func run() throws {
        let engine = try loadEngine(indexOrSource)
        guard let item = try engine.item(id: id) else {
            throw ChatbotError.usage("no item has the id \"\(id)\" in \(indexOrSource)")
        }
        var out = OutputBuffer()
        if json {
            out.write(item.itemJSON.serialized())
        } else {
            out.write("\(item.id)")
            if !item.category.isEmpty { out.write(" [\(item.category)]") }
            if item.hidden { out.write(" (hidden)") }
            if let e = item.expiresAt { out.write(" (expires \(e))") }
            out.write("\n")
            for (k, q) in item.questions.enumerated() { out.write((k == 0 ? "  ? " : "  ~ ") + q + "\n") }
            out.write(messagesText(item.effectiveMessages))
        }
        out.write("\n")
        out.flush()
    }
}

/// Messages as a person reads them, one per line, indented.
func messagesText(_ messages: [Message]) -> String {
    var lines: [String] = []
    for m in messages {
        switch m {
        case .text(let t): lines.append("  > " + t.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    "))
        case .image(let url): lines.append("  [image] \(url)")
        case .buttons(let b), .quickReplies(let b):
            let kind = m.typeName == "buttons" ? "button" : "choice"
            for button in b {
                switch button.target {
                case .url(let u): lines.append("  [\(kind)] \(button.title) -> \(u)")
                case .item(let i): lines.append("  [\(kind)] \(button.title) -> item \(i)")
                }
            }
        }
    }
    return lines.joined(separator: "\n")
}
