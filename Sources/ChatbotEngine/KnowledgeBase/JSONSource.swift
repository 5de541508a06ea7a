import ChatbotErrors
/// The structured format: a JSON object with an `items` array, or a bare array of items.
///
/// ```json
/// {"items": [
///   {"id": "conges", "category": "RH", "question": "Comment poser un congé ?",
///    "alternatives": ["Je veux poser des vacances",
///                     {"text": "Poser un RTT", "vector": [0.12, -0.5, 0.33]}],
///    "answer": "Sur le portail RH.", "hidden": false, "expires_at": "2027-01-31",
///    "attributes": {"service": "RH"},
///    "messages": [{"type": "text", "text": "Sur le portail RH."},
///                 {"type": "image", "url": "https://intranet/conges.png"},
///                 {"type": "buttons", "buttons": [{"title": "Ouvrir le portail", "url": "https://rh"},
///                                                 {"title": "Les RTT", "item": "rtt"}]}]}
/// ]}
/// ```
/// Item keys (nothing else is accepted, so that a typo is an error rather than lost data):
/// - `id` (string, required, unique in the file, without control characters, `\u0000`
///   escapes included: `id_control_character`), `question` (required);
/// - `alternatives`: array of questions; `answer`, `category`: strings;
/// - `hidden`: `true`/`false`; `expires_at`: `"YYYY-MM-DD"`, `"DD/MM/YYYY"` or `null`;
/// - `attributes`: object whose values are strings, copied to `KnowledgeItem.attributes`;
/// - `messages`: the structured answer, an array of `{"type": "text", "text"}`,
///   `{"type": "image", "url"}`, `{"type": "buttons" | "quick_replies", "buttons": [...]}`,
///   each button `{"title", "url"}` or `{"title", "item"}` (an item id of the file).
///
/// `question` may be left out only for the reserved ids (`phrase_presentation`,
/// `phrase_hors_sujet`, `phrase_feedback`) and for items that a button targets: such items
/// are never matched, only sent by role or by button.
///
/// A question is a string, or `{"text": "...", "vector": [numbers]}` carrying a precomputed
/// embedding (`vector` may be left out). All vectors of a file have the same dimension.
/// Error lines point at the `{` of the item (or question object) at fault; JSON syntax
/// errors point at the offending character.
enum JSONSource {
    private static let itemKeys = ["id", "question", "alternatives", "answer", "category", "hidden", "expires_at", "attributes", "messages"]

    static func parse(bytes: [UInt8], fileName: String) throws(ChatbotError) -> KnowledgeBase {
        var objectLines: [Int] = []
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes: bytes, maxDepth: JSONValue.defaultMaxDepth, objectLines: &objectLines)
        } catch {
            throw .diagnostic(file: fileName, line: error.location?.line ?? 0, message: "invalid JSON: \(error.message) (column \(error.location?.column ?? "?"))")
        }
        var reader = Reader(fileName: fileName, objectLines: objectLines)
        let items: [JSONValue]
        var ordinal: Int
        switch root {
        case .array(let elements):
            items = elements
            ordinal = 0
        case .object(let members):
            for member in members where member.key != "items" {
                throw reader.fail("unknown top-level key \"\(member.key)\"; expected {\"items\": [...]}", line: objectLines[0])
            }
            guard let value = root["items"] else {
                throw reader.fail("missing top-level key \"items\"", line: objectLines[0])
            }
            guard case .array(let elements) = value else {
                throw reader.fail("\"items\" must be an array", line: objectLines[0])
            }
            items = elements
            ordinal = 1
        default:
            throw reader.fail("expected an object {\"items\": [...]} or an array of items", line: 1)
        }
        var lastLine = objectLines.first ?? 1
        for (position, item) in items.enumerated() {
            guard case .object = item else {
                throw reader.fail("items[\(position)] must be an object, not \(describe(item))", line: lastLine)
            }
            lastLine = objectLines[ordinal]
            try reader.readItem(item, ordinal: ordinal, position: position)
            ordinal += objectCount(item)
        }
        try reader.checkQuestionless(items: reader.builder.items)
        return try reader.builder.finish(endLine: lastLine)
    }

    private struct Reader {
        let fileName: String
        let objectLines: [Int]
        var builder: KnowledgeBaseBuilder
        /// Dimension and line of the first vector: all others must match.
        var firstVector: (dimension: Int, line: Int)? = nil

        init(fileName: String, objectLines: [Int]) {
            self.fileName = fileName
            self.objectLines = objectLines
            self.builder = KnowledgeBaseBuilder(fileName: fileName)
        }

        func fail(_ message: String, line: Int) -> ChatbotError {
            .diagnostic(file: fileName, line: line, message: message)
        }

        mutating func readItem(_ item: JSONValue, ordinal: Int, position: Int) throws(ChatbotError) {
            guard case .object(let members) = item else { return }
            let line = objectLines[ordinal]
            guard case .string(let rawID)? = item["id"] else {
                throw fail(item["id"] == nil ? "items[\(position)] has no \"id\"" : "items[\(position)]: \"id\" must be a string", line: line)
            }
            let id = rawID.trimmingWhitespace
            guard !id.isEmpty else { throw fail("items[\(position)]: empty id", line: line) }
            if let problem = ItemID.controlCharacterProblem(id) {
                throw ChatbotError.diagnostic(file: fileName, line: line, message: "items[\(position)]: \(problem)",
                                       code: ItemID.controlCharacterCode)
            }
            if let first = builder.index(of: id) {
                throw fail("duplicate id \"\(id)\" (first at line \(builder.itemLines[first])); put alternative questions in \"alternatives\"", line: line)
            }
            func wrongType(_ key: String, _ expected: String) -> ChatbotError {
                fail("item \"\(id)\": \"\(key)\" must be \(expected)", line: line)
            }
            var newItem = KnowledgeItem(id: id, questions: [])
            var questions: [(text: String, vector: [Float]?, line: Int)] = []
            var hasQuestion = false
            // Objects met so far inside this item, in document order: locates nested objects.
            var nextOrdinal = ordinal + 1
            for (key, value) in members {
                switch key {
                case "id": break
                case "question":
                    hasQuestion = true
                    questions.insert(try readQuestion(value, ordinal: nextOrdinal, itemID: id, itemLine: line), at: 0)
                case "alternatives":
                    guard case .array(let alternatives) = value else { throw wrongType(key, "an array of questions") }
                    var inner = nextOrdinal
                    for alternative in alternatives {
                        questions.append(try readQuestion(alternative, ordinal: inner, itemID: id, itemLine: line))
                        inner += objectCount(alternative)
                    }
                case "answer":
                    guard case .string(let s) = value else { throw wrongType(key, "a string") }
                    newItem.answer = s.trimmingWhitespace
                case "category":
                    guard case .string(let s) = value else { throw wrongType(key, "a string") }
                    newItem.category = s.trimmingWhitespace
                case "hidden":
                    guard case .bool(let b) = value else { throw wrongType(key, "true or false") }
                    newItem.hidden = b
                case "expires_at":
                    switch value {
                    case .null: newItem.expiresAt = nil
                    case .string(let s):
                        guard let date = CalendarDate(s.trimmingWhitespace) else {
                            throw fail("item \"\(id)\": invalid expires_at \"\(s)\": expected an existing day as YYYY-MM-DD or DD/MM/YYYY", line: line)
                        }
                        newItem.expiresAt = date
                    default: throw wrongType(key, "a date string or null")
                    }
                case "attributes":
                    guard case .object(let attributes) = value else { throw wrongType(key, "an object of strings") }
                    for (name, v) in attributes {
                        guard case .string(let s) = v else {
                            throw fail("item \"\(id)\": attribute \"\(name)\" must be a string", line: objectLines[nextOrdinal])
                        }
                        newItem.attributes[name] = s
                    }
                case "messages":
                    guard case .array(let list) = value else { throw wrongType(key, "an array of messages") }
                    var inner = nextOrdinal
                    for element in list {
                        newItem.messages.append(try readMessage(element, line: objectLines.indices.contains(inner) ? objectLines[inner] : line, itemID: id))
                        inner += objectCount(element)
                    }
                default:
                    throw fail("item \"\(id)\": unknown key \"\(key)\"; known: \(JSONSource.itemKeys.joined(separator: ", "))", line: line)
                }
                nextOrdinal += objectCount(value)
            }
            if !hasQuestion {
                if ItemRole(id: id).isReserved {
                    // Reached by its role, not by matching.
                } else {
                    questionlessLines[id] = line
                }
            }
            let k = builder.addItem(newItem, line: line)
            for q in questions {
                builder.addQuestion(q.text, vector: q.vector, toItem: k, line: q.line)
            }
        }

        /// Items without a question that are not reserved: valid only if a button targets them.
        var questionlessLines: [String: Int] = [:]

        func checkQuestionless(items: [KnowledgeItem]) throws(ChatbotError) {
            var targeted = Set<String>()
            for item in items { for m in item.messages { for b in m.buttons { if case .item(let t) = b.target { targeted.insert(t) } } } }
            for (id, line) in questionlessLines.sorted(by: { $0.value < $1.value }) where !targeted.contains(id) {
                throw fail("item \"\(id)\" has no \"question\" (only reserved ids and items that a button targets may have none)", line: line)
            }
        }

        func readMessage(_ value: JSONValue, line: Int, itemID: String) throws(ChatbotError) -> Message {
            func bad(_ m: String) -> ChatbotError { fail("item \"\(itemID)\": \(m)", line: line) }
            guard case .object(let members) = value, case .string(let type)? = value["type"] else {
                throw bad("a message must be an object with a \"type\"")
            }
            func string(_ key: String) throws(ChatbotError) -> String {
                guard case .string(let s)? = value[key], !s.trimmingWhitespace.isEmpty else { throw bad("a \(type) message needs a non-empty string \"\(key)\"") }
                return s
            }
            let allowed: Set<String>
            let message: Message
            switch type {
            case "text": allowed = ["type", "text"]; message = .text(try string("text"))
            case "image": allowed = ["type", "url"]; message = .image(url: try string("url").trimmingWhitespace)
            case "buttons", "quick_replies":
                allowed = ["type", "buttons"]
                guard case .array(let list)? = value["buttons"], !list.isEmpty else { throw bad("a \(type) message needs a non-empty array \"buttons\"") }
                var buttons: [Button] = []
                for b in list {
                    guard case .object(let keys) = b, case .string(let title)? = b["title"], !title.trimmingWhitespace.isEmpty else {
                        throw bad("a button must be an object with a non-empty \"title\"")
                    }
                    for (k, _) in keys where k != "title" && k != "url" && k != "item" { throw bad("unknown key \"\(k)\" in a button; known: title, url, item") }
                    switch (b["url"], b["item"]) {
                    case (.string(let u)?, nil): buttons.append(Button(title: title.trimmingWhitespace, target: .url(u.trimmingWhitespace)))
                    case (nil, .string(let i)?): buttons.append(Button(title: title.trimmingWhitespace, target: .item(i.trimmingWhitespace)))
                    default: throw bad("button \"\(title)\" needs exactly one of \"url\" or \"item\" (a string)")
                    }
                }
                message = type == "buttons" ? .buttons(buttons) : .quickReplies(buttons)
            default:
                throw bad("unknown message type \"\(type)\"; known: text, image, buttons, quick_replies")
            }
            for (k, _) in members where !allowed.contains(k) { throw bad("unknown key \"\(k)\" in a \(type) message") }
            return message
        }

        /// A question string, or an object with `text` and optional `vector`.
        mutating func readQuestion(_ value: JSONValue, ordinal: Int, itemID: String, itemLine: Int) throws(ChatbotError) -> (text: String, vector: [Float]?, line: Int) {
            switch value {
            case .string(let s):
                let text = s.trimmingWhitespace
                guard !text.isEmpty else { throw fail("item \"\(itemID)\": empty question", line: itemLine) }
                return (text, nil, itemLine)
            case .object(let members):
                let line = objectLines[ordinal]
                for (key, _) in members where key != "text" && key != "vector" {
                    throw fail("item \"\(itemID)\": unknown key \"\(key)\" in a question object; known: text, vector", line: line)
                }
                guard case .string(let s)? = value["text"] else {
                    throw fail("item \"\(itemID)\": a question object needs a string \"text\"", line: line)
                }
                let text = s.trimmingWhitespace
                guard !text.isEmpty else { throw fail("item \"\(itemID)\": empty question", line: line) }
                guard let rawVector = value["vector"] else { return (text, nil, line) }
                guard case .array(let numbers) = rawVector, !numbers.isEmpty else {
                    throw fail("item \"\(itemID)\": \"vector\" must be a non-empty array of numbers", line: line)
                }
                var vector: [Float] = []
                vector.reserveCapacity(numbers.count)
                for (k, number) in numbers.enumerated() {
                    guard case .number(let x) = number, Float(x).isFinite else {
                        throw fail("item \"\(itemID)\": vector[\(k)] is not a finite 32-bit number", line: line)
                    }
                    vector.append(Float(x))
                }
                if let first = firstVector {
                    guard first.dimension == vector.count else {
                        throw fail("item \"\(itemID)\": vector has \(vector.count) dimensions, expected \(first.dimension) like the first vector (line \(first.line))", line: line)
                    }
                } else {
                    firstVector = (vector.count, line)
                }
                return (text, vector, line)
            default:
                throw fail("item \"\(itemID)\": a question must be a string or {\"text\": ..., \"vector\": [...]}, not \(describe(value))", line: itemLine)
            }
        }
    }
}

/// Objects in `value`'s subtree, itself included: how far it advances the pre-order count.
private func objectCount(_ value: JSONValue) -> Int {
    switch value {
    case .object(let members): return 1 + members.reduce(0) { $0 + objectCount($1.value) }
    case .array(let elements): return elements.reduce(0) { $0 + objectCount($1) }
    default: return 0
    }
}

private func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
}
