/// Gathers rows into items for the row-based formats (TSV, CSV) and the JSON reader,
/// and notes duplicate questions as warnings.
struct KnowledgeBaseBuilder {
    let fileName: String
    private(set) var items: [KnowledgeItem] = []
    /// Line of each item's first row, for messages about the item as a whole.
    private(set) var itemLines: [Int] = []
    private var itemIndex: [String: Int] = [:]
    /// Normalised question → (item index, line) of its first occurrence.
    private var seenQuestions: [String: (item: Int, line: Int)] = [:]
    private(set) var warnings: [SourceDiagnostic] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    func index(of id: String) -> Int? { itemIndex[id] }

    /// Appends a new item whose questions are added separately; the id must be new.
    mutating func addItem(_ item: KnowledgeItem, line: Int) -> Int {
        precondition(itemIndex[item.id] == nil, "callers check for duplicate ids")
        let k = items.count
        var item = item
        item.questions = []
        item.questionVectors = []
        items.append(item)
        itemLines.append(line)
        itemIndex[item.id] = k
        return k
    }

    /// Adds a question to item `k`, warning if this question was already seen.
    mutating func addQuestion(_ question: String, vector: [Float]?, toItem k: Int, line: Int) {
        let key = Self.normalized(question)
        if let first = seenQuestions[key] {
            let message = first.item == k
                ? "duplicate question \"\(question)\" for id \"\(items[k].id)\" (first at line \(first.line))"
                : "question \"\(question)\" of id \"\(items[k].id)\" also belongs to id \"\(items[first.item].id)\" (line \(first.line))"
            warnings.append(SourceDiagnostic(file: fileName, line: line, message: message))
        } else {
            seenQuestions[key] = (k, line)
        }
        items[k].questions.append(question)
        items[k].questionVectors.append(vector)
    }

    mutating func update(_ k: Int, _ body: (inout KnowledgeItem) -> Void) { body(&items[k]) }

    /// The finished knowledge base; an empty one is an error (`line` says where the data ended).
    func finish(endLine: Int) throws(SourceDiagnostic) -> KnowledgeBase {
        guard !items.isEmpty else {
            throw SourceDiagnostic(file: fileName, line: endLine, message: "no items found in the file")
        }
        var result = items
        // Items that carry no vector at all keep an empty `questionVectors` (the model's "none").
        for k in result.indices where result[k].questionVectors.allSatisfy({ $0 == nil }) {
            result[k].questionVectors = []
        }
        return KnowledgeBase(items: result, warnings: warnings)
    }

    /// Trimmed, lowercased, inner whitespace runs collapsed: enough to catch copy-paste duplicates.
    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (Unicode's definition, so NBSP from Excel too).
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}

/// Drops a leading UTF-8 byte-order mark (Windows editors and Excel write one).
func byteOrderMarkLength(_ bytes: [UInt8]) -> Int {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
}
