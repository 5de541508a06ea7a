/// The JSON shapes of messages, items and diagnostics, shared by the command-line tool and
/// the C interface (and so by the Python and PHP bindings) so that all agree to the byte.
extension Message {
    /// `{"type":"text","text"}`, `{"type":"image","url"}`,
    /// `{"type":"buttons"|"quick_replies","buttons":[{"title","url"}|{"title","item"}]}`.
    public var jsonValue: JSONValue {
        switch self {
        case .text(let t): return .object([("type", .string("text")), ("text", .string(t))])
        case .image(let url): return .object([("type", .string("image")), ("url", .string(url))])
        case .buttons(let b), .quickReplies(let b):
            return .object([("type", .string(typeName)), ("buttons", .array(b.map(\.jsonValue)))])
        }
    }
}

extension Button {
    public var jsonValue: JSONValue {
        switch target {
        case .url(let u): .object([("title", .string(title)), ("url", .string(u))])
        case .item(let id): .object([("title", .string(title)), ("item", .string(id))])
        }
    }
}

extension KnowledgeItem {
    /// `{"id","category","question","alternatives","messages","hidden","expires"}`;
    /// `question` is null for an item without questions, `expires` is `YYYY-MM-DD` or null.
    public var itemJSON: JSONValue {
        .object([
            ("id", .string(id)),
            ("category", .string(category)),
            ("question", questions.first.map { .string($0) } ?? .null),
            ("alternatives", .array(questions.dropFirst().map { .string($0) })),
            ("messages", .array(effectiveMessages.map(\.jsonValue))),
            ("hidden", .bool(hidden)),
            ("expires", expiresAt.map { .string($0.description) } ?? .null),
        ])
    }
}

extension SourceDiagnostic {
    /// `{"severity","file","row","column","code","message"}`; `column` is null when the
    /// problem is not about one cell.
    public var jsonValue: JSONValue {
        .object([
            ("severity", .string(severity.rawValue)),
            ("file", .string(file)),
            ("row", .number(Double(line))),
            ("column", column.map { .string($0) } ?? .null),
            ("code", .string(code)),
            ("message", .string(message)),
        ])
    }
}

extension MatchResult {
    /// The reply as a JSON array of messages.
    public var replyJSON: JSONValue { .array(reply.map(\.jsonValue)) }
}
