import ChatbotEngine
import FrenchText

/// A minimal JSON emitter for the `*_json` functions: objects are written in a fixed key
/// order straight into bytes, which is all the C interface needs (no parsing, no Foundation).
struct JSONOutput {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"key":` — keys are literals chosen here, so they need no escaping.
    mutating func key(_ k: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(k)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// A string with `"`, `\` and control characters escaped; other UTF-8 passes through
    /// unchanged (Swift strings are always valid UTF-8, so the output is too).
    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ n: Int) { bytes.append(contentsOf: String(n).utf8) }

    /// Scores are finite by construction; a non-finite value would not be valid JSON, so it becomes 0.
    mutating func number(_ f: Float) { bytes.append(contentsOf: (f.isFinite ? f.description : "0").utf8) }

    mutating func bool(_ b: Bool) { raw(b ? "true" : "false") }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }
}

extension JSONOutput {
    /// `{"decision":…,"suggestions":…,"matches":[…]}` (see `cb_match_json`).
    static func match(_ result: MatchResult) -> [UInt8] {
        var j = JSONOutput()
        j.raw("{")
        j.key("decision"); j.string(result.decision.rawValue); j.comma()
        j.key("suggestions"); j.number(result.suggestionCount); j.comma()
        j.key("matches"); j.raw("[")
        for (i, m) in result.matches.enumerated() {
            if i > 0 { j.comma() }
            j.raw("{")
            j.key("id"); j.string(m.id); j.comma()
            j.key("score"); j.number(m.score); j.comma()
            j.key("question"); j.string(m.question); j.comma()
            j.key("answer"); j.string(m.answer); j.comma()
            j.key("category"); j.string(m.category)
            j.raw("}")
        }
        j.raw("],")
        j.key("suggested"); j.raw("[")
        for (i, k) in result.suggestions.enumerated() {
            if i > 0 { j.comma() }
            j.number(k)
        }
        j.raw("],")
        j.key("reply")
        result.replyJSON.appendJSON(to: &j.bytes)
        j.raw("}")
        return j.bytes
    }

    /// `{"tokens":[…],"terms":[…]}` (see `cb_analyze_json`).
    static func analysis(tokens: [AnalyzedToken], terms: [String]) -> [UInt8] {
        var j = JSONOutput()
        j.raw("{")
        j.key("tokens"); j.raw("[")
        for (i, t) in tokens.enumerated() {
            if i > 0 { j.comma() }
            j.raw("{")
            j.key("text"); j.string(t.token.text); j.comma()
            j.key("start"); j.number(t.token.byteRange.lowerBound); j.comma()
            j.key("end"); j.number(t.token.byteRange.upperBound); j.comma()
            j.key("kind"); j.string(t.token.kind.rawValue); j.comma()
            j.key("stem"); j.string(t.stem); j.comma()
            j.key("term"); j.string(t.term); j.comma()
            j.key("stop"); j.bool(t.isStopWord)
            j.raw("}")
        }
        j.raw("],")
        j.key("terms"); j.raw("[")
        for (i, t) in terms.enumerated() {
            if i > 0 { j.comma() }
            j.string(t)
        }
        j.raw("]}")
        return j.bytes
    }
}
