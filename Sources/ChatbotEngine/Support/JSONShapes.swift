import ChatbotErrors
import FrenchText

/// The JSON shapes of matches, analyses, messages, items and diagnostics: the only place
/// they are defined. The C interface (and so the Python and PHP bindings) and the
/// command-line tool all write them from here, with the one writer (`JSONWriter.swift`), so
/// that all agree to the byte.
extension JSONValue {
    /// A `Float` with the digits of its shortest spelling (`0.8765432`, not the
    /// `0.87654316425…` of the same value widened to `Double`).
    package static func float(_ x: Float) -> JSONValue { .number(x.isFinite ? Double(x.description)! : .nan) }
    package static func int(_ n: Int) -> JSONValue { .number(Double(n)) }
}

extension MatchResult {
    /// The match object of `cb_match_json`, `chatbot-cli ask --json` and the bindings:
    ///
    ///     {"decision":"answer|suggest|fallback","suggestions":N,
    ///      "matches":[{"id","score","question","answer","category"}, …],
    ///      "suggested":[positions in matches],"reply":[messages],"question":"the question asked"}
    ///
    /// Every member is always present (`answer` and `category` may be empty strings).
    package func jsonValue(question: String) -> JSONValue {
        .object([
            ("decision", .string(decision.rawValue)),
            ("suggestions", .int(suggestionCount)),
            ("matches", .array(matches.map { m in
                .object([("id", .string(m.id)), ("score", .float(m.score)), ("question", .string(m.question)),
                         ("answer", .string(m.answer)), ("category", .string(m.category))])
            })),
            ("suggested", .array(suggestions.map { .int($0) })),
            ("reply", replyJSON),
            ("question", .string(question)),
        ])
    }

    /// The reply as a JSON array of messages.
    package var replyJSON: JSONValue { .array(reply.map(\.jsonValue)) }
}

/// The analysis object of `cb_analyze_json` and `chatbot-cli analyze --json`:
/// `{"tokens":[{"text","start","end","kind","stem","term","folded","stop"}],"terms":[…]}`,
/// `start` and `end` being UTF-8 byte offsets into the analysed text.
package func analysisJSON(tokens: [AnalyzedToken], terms: [String]) -> JSONValue {
    .object([
        ("tokens", .array(tokens.map { t in
            .object([("text", .string(t.token.text)), ("start", .int(t.token.byteRange.lowerBound)),
                     ("end", .int(t.token.byteRange.upperBound)), ("kind", .string(t.token.kind.rawValue)),
                     ("stem", .string(t.stem)), ("term", .string(t.term)), ("folded", .string(t.folded)),
                     ("stop", .bool(t.isStopWord))])
        })),
        ("terms", .array(terms.map { .string($0) })),
    ])
}

extension Message {
    /// `{"type":"text","text"}`, `{"type":"image","url"}`,
    /// `{"type":"buttons"|"quick_replies","buttons":[{"title","url"}|{"title","item"}]}`.
    package var jsonValue: JSONValue {
        switch self {
        case .text(let t): return .object([("type", .string("text")), ("text", .string(t))])
        case .image(let url): return .object([("type", .string("image")), ("url", .string(url))])
        case .buttons(let b), .quickReplies(let b):
            return .object([("type", .string(typeName)), ("buttons", .array(b.map(\.jsonValue)))])
        }
    }
}

extension Button {
    package var jsonValue: JSONValue {
        switch target {
        case .url(let u): .object([("title", .string(title)), ("url", .string(u))])
        case .item(let id): .object([("title", .string(title)), ("item", .string(id))])
        }
    }
}

extension KnowledgeItem {
    /// `{"id","category","question","alternatives","messages","hidden","expires"}`;
    /// `question` is null for an item without questions, `expires` is `YYYY-MM-DD` or null.
    package var itemJSON: JSONValue {
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
    package var jsonValue: JSONValue {
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
