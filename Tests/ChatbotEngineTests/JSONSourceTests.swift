import ChatbotErrors
import Testing
@testable import ChatbotEngine

@Suite struct JSONSourceTests {
    @Test func fullSchema() throws {
        let kb = try KnowledgeBaseLoader.load(path: fixturePath("faq.json"))
        #expect(kb.items == [
            KnowledgeItem(id: "conges", category: "RH",
                          questions: ["Comment poser un congé ?", "Je veux poser des vacances", "Poser un RTT"],
                          answer: "Sur le portail RH.", hidden: false, expiresAt: CalendarDate(year: 2027, month: 1, day: 31),
                          questionVectors: [nil, nil, [0.5, -1, 0.2]], attributes: ["button": "Ouvrir le portail"]),
            KnowledgeItem(id: "badge", questions: ["Badge perdu"], answer: "Appelez l'accueil.", hidden: true,
                          questionVectors: [[1, 0, 0]]),
        ])
        #expect(kb.warnings.isEmpty)
    }

    @Test func topLevelArrayAndMinimalItems() throws {
        let kb = try parseSource(#"[{"id": "a", "question": " Q ", "expires_at": null}, {"question": "R", "id": "b", "expires_at": "05/03/2028"}]"#, .json)
        #expect(kb.items == [KnowledgeItem(id: "a", questions: ["Q"]),
                             KnowledgeItem(id: "b", questions: ["R"], expiresAt: CalendarDate(year: 2028, month: 3, day: 5))])
    }

    @Test func mainQuestionComesFirstWhateverTheKeyOrder() throws {
        let kb = try parseSource(#"[{"alternatives": ["alt"], "id": "a", "question": "main"}]"#, .json)
        #expect(kb.items[0].questions == ["main", "alt"])
    }

    @Test func syntaxErrorsCarryTheLine() {
        expectSourceError("{\"items\": [\n  {\"id\": \"a\",\n   \"question\": \"q\",}\n]}", .json, line: 3,
                          message: "invalid JSON: trailing comma in object (column 20)")
    }

    @Test func structureErrors() {
        expectSourceError("\"x\"", .json, line: 1, message: "expected an object {\"items\": [...]} or an array of items")
        expectSourceError("\n{\"itms\": []}", .json, line: 2, message: "unknown top-level key \"itms\"")
        expectSourceError("{}", .json, line: 1, message: "missing top-level key \"items\"")
        expectSourceError("{\"items\": {}}", .json, line: 1, message: "\"items\" must be an array")
        expectSourceError("[{\"id\": \"a\", \"question\": \"q\"},\n 3]", .json, line: 1, message: "items[1] must be an object, not a number")
    }

    @Test func itemErrorsPointAtTheItem() {
        let head = "[{\"id\": \"ok\", \"question\": \"q\"},\n"
        expectSourceError(head + "{\"question\": \"q\"}]", .json, line: 2, message: "items[1] has no \"id\"")
        expectSourceError(head + "{\"id\": 3, \"question\": \"q\"}]", .json, line: 2, message: "items[1]: \"id\" must be a string")
        expectSourceError(head + "{\"id\": \" \", \"question\": \"q\"}]", .json, line: 2, message: "items[1]: empty id")
        expectSourceError(head + "{\"id\": \"b\"}]", .json, line: 2, message: "item \"b\" has no \"question\"")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"\"}]", .json, line: 2, message: "item \"b\": empty question")
        expectSourceError(head + "{\"id\": \"b\", \"question\": 1}]", .json, line: 2,
                          message: "item \"b\": a question must be a string or {\"text\": ..., \"vector\": [...]}, not a number")
        expectSourceError(head + "{\"id\": \"b\", \"questoin\": \"q\"}]", .json, line: 2,
                          message: "item \"b\": unknown key \"questoin\"; known: id, question, alternatives, answer, category, hidden, expires_at, attributes")
        expectSourceError(head + "{\"id\": \"ok\", \"question\": \"q2\"}]", .json, line: 2,
                          message: "duplicate id \"ok\" (first at line 1)")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\", \"hidden\": \"yes\"}]", .json, line: 2,
                          message: "item \"b\": \"hidden\" must be true or false")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\", \"answer\": 1}]", .json, line: 2, message: "\"answer\" must be a string")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\", \"category\": []}]", .json, line: 2, message: "\"category\" must be a string")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\", \"alternatives\": \"x\"}]", .json, line: 2,
                          message: "\"alternatives\" must be an array of questions")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\", \"expires_at\": \"2027-02-29\"}]", .json, line: 2,
                          message: "item \"b\": invalid expires_at \"2027-02-29\"")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\", \"expires_at\": 20270101}]", .json, line: 2,
                          message: "\"expires_at\" must be a date string or null")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\", \"attributes\": []}]", .json, line: 2,
                          message: "\"attributes\" must be an object of strings")
        expectSourceError(head + "{\"id\": \"b\", \"question\": \"q\",\n \"attributes\": {\"n\": 1}}]", .json, line: 3,
                          message: "item \"b\": attribute \"n\" must be a string")
    }

    @Test func questionObjectErrorsPointAtTheObject() {
        let head = "[{\"id\": \"a\", \"question\": {\"text\": \"q\", \"vector\": [1, 2]}},\n{\"id\": \"b\", \"question\": \"q2\",\n \"alternatives\": [\"x\",\n"
        expectSourceError(head + "{\"text\": \"y\", \"vector\": [1, 2, 3]}]}]", .json, line: 4,
                          message: "item \"b\": vector has 3 dimensions, expected 2 like the first vector (line 1)")
        expectSourceError(head + "{\"text\": \"y\", \"vectr\": [1, 2]}]}]", .json, line: 4,
                          message: "unknown key \"vectr\" in a question object; known: text, vector")
        expectSourceError(head + "{\"vector\": [1, 2]}]}]", .json, line: 4, message: "a question object needs a string \"text\"")
        expectSourceError(head + "{\"text\": \" \"}]}]", .json, line: 4, message: "item \"b\": empty question")
        expectSourceError(head + "{\"text\": \"y\", \"vector\": []}]}]", .json, line: 4, message: "\"vector\" must be a non-empty array of numbers")
        expectSourceError(head + "{\"text\": \"y\", \"vector\": [1, \"2\"]}]}]", .json, line: 4, message: "vector[1] is not a finite 32-bit number")
        expectSourceError(head + "{\"text\": \"y\", \"vector\": [1, 1e39]}]}]", .json, line: 4, message: "vector[1] is not a finite 32-bit number")
    }

    @Test func objectLinesStayAlignedAcrossNestedObjects() {
        // Earlier items hold nested objects (question objects, attributes): the line of a
        // later faulty item must still be its own.
        let text = """
            {"items": [
              {"id": "a", "question": {"text": "q1"}, "attributes": {"k": "v"},
               "alternatives": [{"text": "q2"}, "q3", {"text": "q4"}]},
              {"id": "b", "question": "q5"},
              {"id": "c",
               "question": "q6", "extra": 1}
            ]}
            """
        expectSourceError(text, .json, line: 5, message: "item \"c\": unknown key \"extra\"")
    }

    @Test func duplicateQuestionsAreWarnings() throws {
        let kb = try parseSource("[{\"id\": \"a\", \"question\": \"Q\", \"alternatives\": [\"q \"]},\n{\"id\": \"b\", \"question\": \"q\"}]", .json)
        #expect(kb.warnings == [
            SourceDiagnostic(file: "kb.json", line: 1, message: "duplicate question \"q\" for id \"a\" (first at line 1)", severity: .warning, code: "duplicate_question"),
            SourceDiagnostic(file: "kb.json", line: 2, message: "question \"q\" of id \"b\" also belongs to id \"a\" (line 1)", severity: .warning, code: "question_in_two_items"),
        ])
    }
}
