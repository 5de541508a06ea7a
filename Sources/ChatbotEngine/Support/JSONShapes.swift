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
    /// Written straight to bytes: it is on every question's path.
    package func writeJSON(question: String, to w: inout JSONStream) {
        w.object { w in
            w.key("decision"); w.string(decision.rawValue)
            w.key("suggestions"); w.int(suggestionCount)
            w.key("matches")
            w.array { w in
                for m in matches {
                    w.object { w in
                        w.key("id"); w.string(m.id)
                        w.key("score"); w.float(m.score)
                        w.key("question"); w.string(m.question)
                        w.key("answer"); w.string(m.answer)
                        w.key("category"); w.string(m.category)
                    }
                }
            }
            w.key("suggested")
            w.array { w in for s in suggestions { w.int(s) } }
            w.key("reply"); writeReplyJSON(to: &w)
            w.key("question"); w.string(question)
        }
    }

    /// The match object (`writeJSON(question:to:)`) as UTF-8 bytes.
    package func jsonBytes(question: String) -> [UInt8] {
        var w = JSONStream()
        writeJSON(question: question, to: &w)
        return w.bytes
    }

    /// The reply as a JSON array of messages.
    package func writeReplyJSON(to w: inout JSONStream) {
        w.array { w in for message in reply { message.writeJSON(to: &w) } }
    }

    /// The reply array as UTF-8 bytes.
    package var replyJSONBytes: [UInt8] {
        var w = JSONStream(capacity: 128)
        writeReplyJSON(to: &w)
        return w.bytes
    }

    /// The reply array as a string.
    package var replyJSONText: String { String(decoding: replyJSONBytes, as: UTF8.self) }
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
    package func writeJSON(to w: inout JSONStream) {
        w.object { w in
            w.key("type")
            switch self {
            case .text(let t):
                w.string("text")
                w.key("text"); w.string(t)
            case .image(let url):
                w.string("image")
                w.key("url"); w.string(url)
            case .buttons(let b), .quickReplies(let b):
                w.string(typeName)
                w.key("buttons")
                w.array { w in for button in b { button.writeJSON(to: &w) } }
            }
        }
    }

    /// The same object as a value, for shapes that embed messages (`itemJSON`).
    package var jsonValue: JSONValue { JSONValue.streamed { writeJSON(to: &$0) } }
}

extension Button {
    package func writeJSON(to w: inout JSONStream) {
        w.object { w in
            w.key("title"); w.string(title)
            switch target {
            case .url(let u): w.key("url"); w.string(u)
            case .item(let id): w.key("item"); w.string(id)
            }
        }
    }

    package var jsonValue: JSONValue { JSONValue.streamed { writeJSON(to: &$0) } }
}

extension JSONValue {
    /// The value a stream writes: one definition of a shape serves both the byte writer of
    /// the hot path and the value the other shapes embed. The stream's own output always
    /// parses; `.null` stands for the impossible failure rather than a trap.
    static func streamed(_ write: (inout JSONStream) -> Void) -> JSONValue {
        var w = JSONStream(capacity: 128)
        write(&w)
        return (try? JSONValue.parse(bytes: w.bytes)) ?? .null
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
