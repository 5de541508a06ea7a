import ChatbotErrors
import ChatbotEngine

/// A labelled test set: `expected_id<TAB>question` per line, no header.
///
/// The reserved expected id ``outOfScopeID`` (`_none`) marks a question that should NOT be
/// answered: the right behaviour is a suggestion or a fallback.
public struct LabelledSet: Sendable {
    /// Expected id of questions the engine should not answer.
    public static let outOfScopeID = "_none"

    public struct Example: Sendable, Equatable {
        public var expectedID: String
        public var question: String
        /// 1-based line in the source file.
        public var line: Int

        public init(expectedID: String, question: String, line: Int) {
            self.expectedID = expectedID
            self.question = question
            self.line = line
        }

        /// Labelled ``LabelledSet/outOfScopeID``: should not be answered.
        public var isOutOfScope: Bool { expectedID == LabelledSet.outOfScopeID }
    }

    public var examples: [Example]

    public init(examples: [Example]) { self.examples = examples }

    public static func load(path: String) throws(ChatbotError) -> LabelledSet {
        try parse(bytes: readFile(path, maxBytes: InputLimits.maxSourceBytes), fileName: path)
    }

    /// Blank lines are skipped; any other line without exactly one tab, or with an empty
    /// id or question, is an error naming the line.
    public static func parse(bytes: [UInt8], fileName: String) throws(ChatbotError) -> LabelledSet {
        var examples: [Example] = []
        var lineNumber = 0
        var start = 0
        let end = bytes.count
        while start < end {
            var stop = start
            while stop < end && bytes[stop] != 10 { stop += 1 }
            lineNumber += 1
            var line = bytes[start..<stop]
            if line.last == 13 { line = line.dropLast() }
            start = stop + 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            guard let text = String(validating: line, as: UTF8.self) else {
                throw ChatbotError.diagnostic(file: fileName, line: lineNumber, message: "line is not valid UTF-8")
            }
            let parts = text.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ChatbotError.diagnostic(file: fileName, line: lineNumber,
                                       message: "expected 'expected_id<TAB>question', found \(parts.count) tab-separated fields")
            }
            let id = parts[0].trimmingSpaces, question = parts[1].trimmingSpaces
            guard !id.isEmpty else { throw ChatbotError.diagnostic(file: fileName, line: lineNumber, message: "empty expected id") }
            guard !question.isEmpty else { throw ChatbotError.diagnostic(file: fileName, line: lineNumber, message: "empty question") }
            examples.append(Example(expectedID: id, question: question, line: lineNumber))
        }
        guard !examples.isEmpty else { throw ChatbotError.diagnostic(file: fileName, line: 0, message: "no labelled question found") }
        return LabelledSet(examples: examples)
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
