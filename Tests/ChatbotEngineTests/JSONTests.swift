import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

private func parse(_ text: String, maxDepth: Int = JSONValue.defaultMaxDepth) throws(ChatbotError) -> JSONValue {
    try JSONValue.parse(bytes: Array(text.utf8), maxDepth: maxDepth)
}

private func jsonError(_ text: String) -> ChatbotError? {
    do {
        _ = try parse(text)
        Issue.record("expected an error for \(text)")
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONParserTests {
    @Test func scalarsAndContainers() throws {
        #expect(try parse(" null ") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("\"\"") == .string(""))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([]))
        let v = try parse("{\"a\": [1, {\"b\": null}], \"c\": \"d\"}")
        #expect(v == .object([("a", .array([.number(1), .object([("b", .null)])])), ("c", .string("d"))]))
        #expect(v["c"] == .string("d"))
        #expect(v["missing"] == nil)
        #expect(JSONValue.array([])["a"] == nil)
        #expect(v != .object([("c", .string("d")), ("a", .null)]))
    }

    @Test func numbers() throws {
        let cases: [(String, Double)] = [("0", 0), ("-0", -0.0), ("12", 12), ("-3.25", -3.25), ("1e3", 1000),
                                         ("1E+2", 100), ("2.5e-3", 0.0025), ("0.1", 0.1), ("123456789012345678", 123456789012345678)]
        for (text, value) in cases { #expect(try parse(text) == .number(value), "\(text)") }
        for bad in ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-a"] {
            #expect(throws: ChatbotError.self, "\(bad)") { _ = try parse(bad) }
        }
        #expect(jsonError("1e400")?.message == "number 1e400 is out of range")
        #expect(jsonError("[01]")?.message == "invalid number: leading zero")
    }

    @Test func numbersAgreeWithTheStandardLibrary() throws {
        // The parser's exact fast path must round like strtod, shape by shape.
        var generator = SystemRandomNumberGenerator()
        var texts = ["0.1", "0.3", "1.7976931348623157e308", "2.2250738585072014e-308", "4.9e-324", "123456789012345",
                     "1234567890123456789", "0.000000000000000000001", "9007199254740993", "1e22", "1e23", "-1.5e-22",
                     "0.00000000000000000000000000000000001", "12345678901234567890123", "1.0000000000000002"]
        for _ in 0..<3000 {
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &generator) % 10_000_000_000_000_000)
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text = point == digits.count ? digits : String(digits.prefix(point)) + "." + digits.dropFirst(point)
            if text.hasPrefix(".") { text = "0" + text }
            if text.count > 1, text.hasPrefix("0"), !text.hasPrefix("0.") { continue }
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            texts.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        for text in texts {
            #expect(try parse(text) == .number(Double(text)!), "\(text)")
        }
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u00E9 \u20AC""#) == .string("éé €"))
        #expect(try parse(#""\ud83d\ude00 x""#) == .string("😀 x"))
        #expect(try parse("\"déjà 😀\"") == .string("déjà 😀"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func stringErrors() {
        #expect(jsonError(#""\x""#)?.message == "invalid escape '\\x' in string")
        #expect(jsonError(#""\u12G4""#)?.message == "invalid hex digit in \\u escape")
        #expect(jsonError(#""\ud83d""#)?.message == "unpaired surrogate \\uD83D")
        #expect(jsonError(#""\ud83d\u0041""#)?.message == "unpaired surrogate \\uD83D")
        #expect(jsonError(#""\ude00""#)?.message == "unpaired surrogate \\uDE00")
        #expect(jsonError("\"a\nb\"")?.message == "unescaped control character in string")
        #expect(jsonError("\"abc")?.message == "unterminated string")
        #expect(jsonError("\"ab\\")?.message == "unterminated string")
        #expect(jsonError("\"\\u12")?.message == "unterminated \\u escape")
        let invalid = try? JSONValue.parse(bytes: [0x22, 0xC3, 0x28, 0x22])
        #expect(invalid == nil)
        #expect(throws: ChatbotError.json(line: 1, column: 1, message: "invalid UTF-8 in string")) {
            _ = try JSONValue.parse(bytes: [0x22, 0xFF, 0x22])
        }
        #expect(throws: ChatbotError.json(line: 1, column: 1, message: "invalid UTF-8 in string")) {
            _ = try JSONValue.parse(bytes: Array(#""\n"#.utf8) + [0xFF, 0x22])
        }
    }

    @Test func structuralErrorsWithLines() {
        #expect(jsonError("[1, 2,]") == ChatbotError.json(line: 1, column: 7, message: "trailing comma in array"))
        #expect(jsonError("{\"a\": 1,\n}") == ChatbotError.json(line: 2, column: 1, message: "trailing comma in object"))
        #expect(jsonError("{\"a\": 1,\n \"a\": 2}") == ChatbotError.json(line: 2, column: 2, message: "duplicate key \"a\""))
        #expect(jsonError("[1 2]")?.message == "unexpected '2' in array, expected ',' or ']'")
        #expect(jsonError("{\"a\" 1}")?.message == "unexpected '1', expected ':' after key")
        #expect(jsonError("{1: 2}")?.message == "unexpected '1', expected a string key")
        #expect(jsonError("[1] x")?.message == "unexpected 'x' after the JSON value")
        #expect(jsonError("")?.message == "unexpected end of input, expected a value")
        #expect(jsonError("[")?.message == "unexpected end of input, expected a value")
        #expect(jsonError("[1")?.message == "unterminated array, expected ',' or ']'")
        #expect(jsonError("{\"a\":1")?.message == "unterminated object, expected ',' or '}'")
        #expect(jsonError("{")?.message == "unterminated object, expected a key")
        #expect(jsonError("tru")?.message == "invalid literal, expected 'true'")
        #expect(jsonError("nul")?.message == "invalid literal, expected 'null'")
        #expect(jsonError("\n\n  @")  == ChatbotError.json(line: 3, column: 3, message: "unexpected '@', expected a value"))
    }

    @Test func manyKeysStillDetectDuplicates() throws {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }
        let ok = try parse("{" + members.joined(separator: ",") + "}")
        #expect(ok["k39"] == .number(39))
        #expect(jsonError("{" + members.joined(separator: ",") + ", \"k3\": 0}")?.message == "duplicate key \"k3\"")
    }

    @Test func nestingDepthIsLimited() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(jsonError(deep)?.message == "nesting deeper than 256 levels")
        let objects = String(repeating: "{\"a\":", count: 300) + "1" + String(repeating: "}", count: 300)
        #expect(jsonError(objects)?.message == "nesting deeper than 256 levels")
        let ok = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        _ = try parse(ok)
        #expect(throws: ChatbotError.self) { _ = try parse("[[[]]]", maxDepth: 2) }
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try JSONValue.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("[true]".utf8)) == .array([.bool(true)]))
    }
}

@Suite struct JSONWriterTests {
    @Test func serialisesCompactly() {
        let v = JSONValue.object([("id", .string("a\"b")), ("n", .array([.number(1), .number(-2.5), .number(1e-7), .null, .bool(true)])),
                                  ("o", .object([]))])
        #expect(v.serialized() == #"{"id":"a\"b","n":[1,-2.5,1e-07,null,true],"o":{}}"#)
        #expect(JSONValue.number(.nan).serialized() == "null")
        #expect(JSONValue.number(.infinity).serialized() == "null")
        #expect(JSONValue.number(-0.0).serialized() == "-0")
        #expect(JSONValue.number(1e300).serialized() == "1e+300")
        #expect(JSONValue.number(9_007_199_254_740_993).serialized() == "9007199254740992")
        #expect(JSONValue.number(-12).serialized() == "-12")
        #expect(JSONValue.number(1e20).serialized() == "1e+20")
    }

    @Test func escapesStrings() {
        var out: [UInt8] = []
        appendJSONString("é\n\t\u{1}\\\"/\u{7F}😀", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""é\n\t\u0001\\\"/"# + "\u{7F}😀\"")
        let s = "x=" + JSONValue.string("\r\u{8}\u{C}\u{1F}").serialized()
        #expect(s == #"x="\r\b\f\u001f""#)
    }

    @Test func roundTrips() throws {
        let text = #"{"a":[1,2.5,-3e-05,"é\u0000\"",{"b":[]}],"c":false,"d":null}"#
        let v = try JSONValue.parse(bytes: Array(text.utf8))
        #expect(try JSONValue.parse(bytes: Array(v.serialized().utf8)) == v)
        for x in [0.1, 1.0 / 3.0, 123456.789, 5e-324, 1.7976931348623157e308] {
            #expect(try JSONValue.parse(bytes: Array(JSONValue.number(x).serialized().utf8)) == .number(x))
        }
    }
}

/// The match object (README, "The match object"): one shape for the C layer, the CLI and
/// the bindings.
@Suite struct MatchObjectTests {
    @Test func membersInOrderAlwaysPresent() throws {
        let engine = try TestKnowledgeBase.engine()
        let result = try engine.match("Je veux prendre des vacances", options: MatchOptions(topK: 2))
        let object = try JSONValue.parse(bytes: result.jsonBytes(question: "Je veux prendre des vacances"))
        guard case .object(let members) = object else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["decision", "suggestions", "matches", "suggested", "reply", "question"])
        guard case .array(let matches)? = object["matches"], case .object(let first)? = matches.first else {
            Issue.record("no matches"); return
        }
        #expect(first.map(\.key) == ["id", "score", "question", "answer", "category"])
        #expect(object["question"] == .string("Je veux prendre des vacances"))
        // Parsed back, it is the same value; scores keep the float's shortest spelling.
        let text = object.serialized()
        #expect(try JSONValue.parse(bytes: Array(text.utf8)) == object)
        #expect(text.contains("\"score\":\(result.matches[0].score.description)"))
    }

    @Test func emptyAnswerAndCategoryAreWritten() {
        let m = Match(itemIndex: 0, id: "a", score: 0.1, question: "q", questionIndex: 0, answer: "", category: "")
        let text = String(decoding: MatchResult(decision: .fallback, matches: [m], suggestionCount: 0).jsonBytes(question: "x"), as: UTF8.self)
        #expect(text == #"{"decision":"fallback","suggestions":0,"matches":[{"id":"a","score":0.1,"question":"q","answer":"","category":""}],"suggested":[],"reply":[],"question":"x"}"#)
    }
}

/// The streaming writer of the per-question shapes writes what the value tree writes.
@Suite struct JSONStreamTests {
    /// The tree's float: the digits of `x.description`, read back as a `Double`.
    private func treeFloat(_ x: Float) -> [UInt8] { JSONValue.float(x).serializedBytes }

    private func streamFloat(_ x: Float) -> [UInt8] {
        var w = JSONStream()
        w.float(x)
        return w.bytes
    }

    @Test func floatsAreSpelledAsTheTreeSpellsThem() {
        var special: [Float] = [0, -0.0, 1, -1, 0.5, 0.1, 1e-5, 1e-4, 9.999999e-5, 123456.7, 16777216, 16777217,
                                3.4028235e38, -3.4028235e38, 1e-45, 1.1754944e-38, .nan, .infinity, -.infinity, 1e18, 9.223372e18]
        // Every confidence a match can carry is in [0, 1]: a dense sweep there.
        for i in 0...200_000 { special.append(Float(i) / 200_000) }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<1_000_000 { special.append(Float(bitPattern: UInt32.random(in: .min ... .max, using: &rng))) }
        var mismatches: [Float] = []
        for x in special where streamFloat(x) != treeFloat(x) { mismatches.append(x) }
        let count = mismatches.count, first = mismatches.prefix(5).map(\.bitPattern)
        #expect(count == 0, "first mismatches (bit patterns): \(first)")
    }

    @Test func matchObjectIsTheTreeSerialized() throws {
        let buttons = [Button(title: "Portail \"RH\"", target: .url("https://rh.example/a?b=1&c=\\")),
                       Button(title: "Congés", target: .item("conges"))]
        let m1 = Match(itemIndex: 0, id: "a\u{1}", score: 0.87654321, question: "q\n2", questionIndex: 0, answer: "é", category: "")
        let m2 = Match(itemIndex: 1, id: "b", score: 1, question: "", questionIndex: 3, answer: "", category: "c")
        var result = MatchResult(decision: .suggest, matches: [m1, m2], suggestionCount: 2)
        result.reply = [.text("Voici \"deux\" pistes\t:"), .image(url: "https://x/y.png"), .buttons(buttons), .quickReplies(buttons)]
        let tree = JSONValue.object([
            ("decision", .string("suggest")), ("suggestions", .int(2)),
            ("matches", .array([m1, m2].map { m in
                .object([("id", .string(m.id)), ("score", .float(m.score)), ("question", .string(m.question)),
                         ("answer", .string(m.answer)), ("category", .string(m.category))])
            })),
            ("suggested", .array(result.suggestions.map { .int($0) })),
            ("reply", .array(result.reply.map(\.jsonValue))),
            ("question", .string("où ? \"ici\"")),
        ])
        #expect(result.jsonBytes(question: "où ? \"ici\"") == tree.serializedBytes)
        #expect(result.replyJSONBytes == JSONValue.array(result.reply.map(\.jsonValue)).serializedBytes)
        #expect(MatchResult(decision: .fallback, matches: [], suggestionCount: 0).replyJSONText == "[]")
    }

    @Test func nestedContainersBalance() {
        var w = JSONStream()
        w.array { w in
            w.object { _ in }
            w.array { w in w.null(); w.bool(true); w.bool(false) }
            w.object { w in w.key("k"); w.array { _ in } ; w.key("n"); w.int(-3) }
        }
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"[{},[null,true,false],{"k":[],"n":-3}]"#)
    }
}
