import ChatbotErrors
import Testing
@testable import ChatbotEngine

/// Item ids never hold a control character (Unicode Cc): a NUL ends a C string, so C, Python
/// and PHP would see `a` and `a\0b` as one id. Every source refuses them, and `Engine.build`.
@Suite struct ItemIDTests {
    /// U+0000–U+001F and U+007F–U+009F, inside an id (edges would be trimmed as whitespace for some).
    static let controls: [Unicode.Scalar] = ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{D}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}"]

    @Test func controlCharactersAreCategoryCc() {
        for scalar in Self.controls { #expect(ItemID.isControl(scalar), "\(scalar.value)") }
        for scalar: Unicode.Scalar in [" ", "~", "\u{A0}", "\u{AD}", "é", "\u{200B}", "\u{FEFF}"] {
            #expect(!ItemID.isControl(scalar), "\(scalar.value)")
        }
        #expect(ItemID.controlCharacterProblem("conges_2") == nil)
        #expect(ItemID.controlCharacterProblem("a\u{0}b")?.contains("NUL (U+0000) at character 2") == true)
        #expect(ItemID.controlCharacterProblem("ab\u{9F}")?.contains("U+009F at character 3") == true)
    }

    @Test func tsvRefusesAControlCharacterInAnID() throws {
        for scalar in Self.controls {
            let text = "a\tbonjour\nb" + String(Character(scalar)) + "c\tau revoir\n"
            let d = sourceError { _ = try parseSource(text, .tsv) }
            #expect(d?.line == 2, "U+\(scalar.value)")
            #expect(d?.column == "A")
            #expect(d?.code == "id_control_character")
            #expect(d?.message.contains("control character") == true, "\(d?.message ?? "")")
        }
        // A NUL right after an existing id is not that id.
        expectSourceError("a\tbonjour\na\u{0}\tau revoir\n", .tsv, line: 2, message: "NUL (U+0000) at character 2")
        // Surrounding whitespace is still trimmed; other characters stay accepted.
        let kb = try parseSource("a\u{A0}b\tbonjour\n a \t salut\r\n", .tsv)
        #expect(kb.items.map(\.id) == ["a\u{A0}b", "a"])
    }

    @Test func csvRefusesAControlCharacterInAnIDWithItsColumn() {
        let d = sourceError { _ = try parseSource("id;question\nok;bonjour\n\"a\u{0}b\";salut\n", .csv) }
        #expect(d == SourceDiagnostic(file: "kb.csv", line: 3,
                                      message: "the id contains a control character, NUL (U+0000) at character 2: ids may not contain NUL, tabs, line breaks or other control characters",
                                      column: "A", code: "id_control_character"))
        // A line break inside a quoted id, the id in the second column.
        let e = sourceError { _ = try parseSource("question,answer,id\nbonjour,,ok\nsalut,,\"a\nb\"\n", .csv) }
        #expect(e?.line == 3)
        #expect(e?.column == "C")
        #expect(e?.code == "id_control_character")
        let f = sourceError { _ = try parseSource("id,question\na\u{7F}b,bonjour\n", .csv) }
        #expect(f?.message.contains("U+007F at character 2") == true)
    }

    @Test func jsonRefusesAControlCharacterInAnIDEscapesIncluded() {
        let head = "{\"items\": [{\"id\": \"a\", \"question\": \"bonjour\"},\n"
        for escape in ["\\u0000", "\\u0001", "\\n", "\\t", "\\u001f", "\\u007f", "\\u0085"] {
            let d = sourceError { _ = try parseSource(head + "{\"id\": \"a\(escape)b\", \"question\": \"salut\"}]}", .json) }
            #expect(d?.line == 2, "\(escape)")
            #expect(d?.code == "id_control_character", "\(escape)")
            #expect(d?.message.hasPrefix("items[1]: the id contains a control character") == true, "\(d?.message ?? "")")
        }
        // "a" followed by NUL is not the item "a": refused, not a duplicate nor a second "a".
        expectSourceError(head + "{\"id\": \"a\\u0000\", \"question\": \"salut\"}]}", .json, line: 2,
                          message: "NUL (U+0000) at character 2")
    }

    @Test func engineBuildRefusesAControlCharacterInAnID() throws {
        let clean = KnowledgeItem(id: "a", questions: ["bonjour"])
        #expect(throws: ChatbotError.invalidArgument("item 2: the id contains a control character, NUL (U+0000) at character 2: ids may not contain NUL, tabs, line breaks or other control characters")) {
            _ = try Engine.build(KnowledgeBase(items: [clean, KnowledgeItem(id: "a\u{0}b", questions: ["salut"])]))
        }
        for scalar in Self.controls {
            let id = "x" + String(Character(scalar))
            #expect(throws: ChatbotError.self, "U+\(scalar.value)") {
                _ = try Engine.build(KnowledgeBase(items: [clean, KnowledgeItem(id: id, questions: ["salut"])]))
            }
        }
        // Items without questions (stored apart) are checked too.
        #expect(throws: ChatbotError.invalidArgument("item 2: the id contains a control character, U+000A at character 20: ids may not contain NUL, tabs, line breaks or other control characters")) {
            _ = try Engine.build(KnowledgeBase(items: [clean, KnowledgeItem(id: "phrase_presentation\n", questions: [], messages: [.text("Bonjour")])]))
        }
        _ = try Engine.build(KnowledgeBase(items: [clean, KnowledgeItem(id: "b\u{A0}c", questions: ["salut"])]))
    }
}
