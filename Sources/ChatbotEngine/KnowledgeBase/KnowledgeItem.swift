/// One entry of a knowledge base: the questions it answers and its answer.
///
/// `questions[0]` is the main question; the others are alternative phrasings. An item
/// without questions is never matched: it is reached by its role (`ItemRole`, e.g. the
/// welcome message) or by a button that targets it.
public struct KnowledgeItem: Sendable, Equatable {
    public var id: String
    /// Empty when the item has no category.
    public var category: String
    public var questions: [String]
    /// The answer as plain text. May be empty (research knowledge bases carry only ids and
    /// questions, and structured answers live in `messages`); see `plainAnswer`.
    public var answer: String
    /// The answer as ordered messages (texts, images, buttons, quick replies); empty when the
    /// source gave only a plain `answer` (see `effectiveMessages`).
    public var messages: [Message]
    /// Hidden items are kept in the index but never returned.
    public var hidden: Bool
    /// The last day the item may be returned; `nil` means it never expires.
    public var expiresAt: CalendarDate?
    /// Optional precomputed embedding per question, aligned with `questions`
    /// (`nil` entries mean "no vector for this question").
    public var questionVectors: [[Float]?]
    /// Free-form key/value pairs carried through the index unchanged.
    public var attributes: [String: String]

    public init(id: String, category: String = "", questions: [String], answer: String = "",
                hidden: Bool = false, expiresAt: CalendarDate? = nil,
                questionVectors: [[Float]?] = [], attributes: [String: String] = [:], messages: [Message] = []) {
        self.id = id
        self.category = category
        self.questions = questions
        self.answer = answer
        self.hidden = hidden
        self.expiresAt = expiresAt
        self.questionVectors = questionVectors
        self.attributes = attributes
        self.messages = messages
    }
}

/// A parsed knowledge-base source: its items in source order, and what looked wrong but was kept.
public struct KnowledgeBase: Sendable, Equatable {
    public var items: [KnowledgeItem]
    public var warnings: [SourceDiagnostic]
    /// Every question in the order of the source's rows (item order groups an id's rows
    /// together; row order is what external files such as `.npy` vectors are aligned with).
    /// Empty for a knowledge base built in code, where item order is the order.
    public var sourceOrder: [QuestionReference] = []

    public init(items: [KnowledgeItem], warnings: [SourceDiagnostic] = []) {
        self.items = items
        self.warnings = warnings
    }
}

/// A problem found in a source file, located by file and 1-based line (for a spreadsheet,
/// the row number the spreadsheet shows).
///
/// Errors refuse the build; warnings do not. `code` is stable across versions, so hosts
/// can act on it; `message` is for people (French for the Usine template's checks).
public struct SourceDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case error, warning
    }

    public var file: String
    public var line: Int
    public var message: String
    public var severity: Severity
    /// The column at fault, as the spreadsheet names it ("A", "G"); nil when not about one cell.
    public var column: String?
    /// A stable identifier of the check, e.g. "missing_id"; "" for checks without one.
    public var code: String

    public init(file: String, line: Int, message: String, severity: Severity = .error,
                column: String? = nil, code: String = "") {
        self.file = file
        self.line = line
        self.message = Self.bounded(message)
        self.severity = severity
        self.column = column
        self.code = code
    }

    public var description: String { "\(file):\(line): \(message)" }

    /// Longest message kept whole. Messages quote cells and headers, and a cell can hold a
    /// megabyte: one diagnostic must stay one readable line (issue 13).
    public static let maxMessageCharacters = 500

    static func bounded(_ message: String) -> String {
        var count = 0
        for _ in message.unicodeScalars {
            count += 1
            if count > maxMessageCharacters { break }
        }
        guard count > maxMessageCharacters else { return message }
        let total = message.unicodeScalars.count
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: message.unicodeScalars.prefix(maxMessageCharacters - 100))
        return String(kept) + "… [\(total - (maxMessageCharacters - 100)) more characters cut]"
    }

    /// One line for a terminal, as compilers print them: `FILE:ROW: error: MESSAGE`.
    public var report: String { "\(file):\(line): \(severity.rawValue): \(message)" }
}

/// A source refused as a whole: every error and warning of the file, in row order, so that
/// a user fixes them all in one pass. It always holds at least one error.
public struct SourceReport: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [SourceDiagnostic]

    public init(diagnostics: [SourceDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [SourceDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [SourceDiagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The first error, then how many more there are: short enough for an error message.
    public var description: String {
        let errors = self.errors
        guard let first = errors.first else { return "source refused" }
        let more = errors.count - 1
        return first.description + (more > 0 ? " (and \(more) more error\(more > 1 ? "s" : ""))" : "")
    }
}

/// A question of a knowledge base: `items[item].questions[question]`.
public struct QuestionReference: Sendable, Equatable, Hashable {
    public var item: Int
    public var question: Int

    public init(item: Int, question: Int) {
        self.item = item
        self.question = question
    }
}

extension KnowledgeBase {
    /// The questions in source-row order (item order when `sourceOrder` is empty).
    public var questionsInSourceOrder: [QuestionReference] {
        if !sourceOrder.isEmpty { return sourceOrder }
        return items.indices.flatMap { i in items[i].questions.indices.map { QuestionReference(item: i, question: $0) } }
    }

    /// Attaches one vector per question, given in source-row order.
    public mutating func attachVectors(_ vectors: [[Float]], sourceName: String) throws(EngineError) {
        let order = questionsInSourceOrder
        guard vectors.count == order.count else {
            throw .invalidArgument("the vectors file has \(vectors.count) rows but \(sourceName) has \(order.count) questions")
        }
        for i in items.indices {
            items[i].questionVectors = Array(repeating: nil, count: items[i].questions.count)
        }
        for (row, ref) in order.enumerated() {
            items[ref.item].questionVectors[ref.question] = vectors[row]
        }
    }
}
