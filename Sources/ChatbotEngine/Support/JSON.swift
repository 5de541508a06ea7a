import ChatbotErrors
/// A JSON value (RFC 8259). Objects keep their members in source order, so that what is
/// read and written back stays in the order a person wrote it; keys are unique.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The member named `key` of an object; `nil` for a missing key or a non-object.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Deep enough for any sensible document, shallow enough for a 512 KiB thread stack.
    package static let defaultMaxDepth = 256

    /// Parses a complete JSON text (a leading UTF-8 byte-order mark is skipped).
    /// - Parameter maxDepth: nesting limit for arrays and objects; deeper input is an error
    ///   rather than a stack overflow.
    package static func parse(bytes: [UInt8], maxDepth: Int = JSONValue.defaultMaxDepth) throws(ChatbotError) -> JSONValue {
        var objectLines: [Int] = []
        return try parse(bytes: bytes, maxDepth: maxDepth, objectLines: &objectLines)
    }

    /// Parses and also records the line of every object's `{` in document (pre-)order,
    /// which lets callers that walk the tree in the same order locate their errors.
    static func parse(bytes: [UInt8], maxDepth: Int, objectLines: inout [Int]) throws(ChatbotError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(ChatbotError) in
            var parser = JSONParser(buffer, maxDepth: maxDepth)
            let value = try parser.parseDocument()
            objectLines = parser.objectLines
            return value
        }
    }
}

extension ChatbotError {
    /// A JSON syntax error (kind `invalidSource`), located by 1-based line and column
    /// (the column counts bytes); the caller names the file.
    package static func json(line: Int, column: Int, message: String) -> ChatbotError {
        ChatbotError(.invalidSource, message, location: FileLocation(file: "", line: line, column: String(column)))
    }
}

/// A strict single-pass JSON reader: every byte is looked at a bounded number of times.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    fileprivate(set) var objectLines: [Int] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(ChatbotError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            lineStart = 3
        }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describeCurrent()) after the JSON value") }
        return value
    }

    private func error(_ message: String, at position: Int? = nil) -> ChatbotError {
        ChatbotError.json(line: line, column: (position ?? index) - lineStart + 1, message: message)
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func parseValue() throws(ChatbotError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(ChatbotError) {
        let n = word.utf8CodeUnitCount
        let start = word.utf8Start
        for k in 0..<n where index + k >= bytes.count || bytes[index + k] != start[k] {
            throw error("invalid literal, expected '\(word)'")
        }
        index += n
    }

    private mutating func enterContainer() throws(ChatbotError) {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
    }

    private mutating func parseArray() throws(ChatbotError) -> JSONValue {
        try enterContainer()
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { throw error("trailing comma in array") }
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated array, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw error("unexpected \(describeCurrent()) in array, expected ',' or ']'")
        }
        depth -= 1
        return .array(elements)
    }

    private mutating func parseObject() throws(ChatbotError) -> JSONValue {
        try enterContainer()
        objectLines.append(line)
        index += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        // Linear scan is cheapest for the usual handful of keys; a set keeps huge objects linear.
        var keySet: Set<String>? = nil
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated object, expected a key") }
            if bytes[index] == UInt8(ascii: "}") { throw error("trailing comma in object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()), expected a string key")
            }
            let keyPosition = index
            let key = try parseString()
            let duplicate: Bool
            if var set = keySet {
                duplicate = !set.insert(key).inserted
                keySet = set
            } else {
                duplicate = members.contains { $0.key == key }
                if members.count >= 16 { keySet = Set(members.map(\.key) + [key]) }
            }
            if duplicate { throw error("duplicate key \"\(key)\"", at: keyPosition) }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()), expected ':' after key")
            }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated object, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw error("unexpected \(describeCurrent()) in object, expected ',' or '}'")
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseNumber() throws(ChatbotError) -> Double {
        let start = index
        // Significant digits (up to 19 fit a UInt64) and the decimal exponent they need,
        // gathered while checking the grammar, for the exact fast path below.
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var decimalExponent = 0
        func digits(_ p: inout Int, fraction: Bool) -> Int {
            let s = p
            while p < bytes.count, bytes[p] >= UInt8(ascii: "0"), bytes[p] <= UInt8(ascii: "9") {
                let d = UInt64(bytes[p] - UInt8(ascii: "0"))
                if significantDigits > 0 || d != 0 {
                    if significantDigits < 19 { mantissa = mantissa * 10 + d } else if !fraction { decimalExponent += 1 }
                    significantDigits += 1
                }
                if fraction && significantDigits <= 19 { decimalExponent -= 1 }
                p += 1
            }
            return p - s
        }
        var p = index
        let negative = bytes[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        let intStart = p
        let intDigits = digits(&p, fraction: false)
        if intDigits == 0 { throw error("invalid number: expected a digit", at: p) }
        if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") { throw error("invalid number: leading zero", at: intStart) }
        if p < bytes.count, bytes[p] == UInt8(ascii: ".") {
            p += 1
            if digits(&p, fraction: true) == 0 { throw error("invalid number: expected a digit after '.'", at: p) }
        }
        if p < bytes.count, bytes[p] == UInt8(ascii: "e") || bytes[p] == UInt8(ascii: "E") {
            p += 1
            var exponentNegative = false
            if p < bytes.count, bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") {
                exponentNegative = bytes[p] == UInt8(ascii: "-")
                p += 1
            }
            let s = p
            var exponent = 0
            while p < bytes.count, bytes[p] >= UInt8(ascii: "0"), bytes[p] <= UInt8(ascii: "9") {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[p] - UInt8(ascii: "0")) }
                p += 1
            }
            if p == s { throw error("invalid number: expected a digit in the exponent", at: p) }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        index = p
        // Exact fast path (Clinger): a mantissa below 2^53 and a power of ten up to 1e22
        // are both exact doubles, so one multiplication or division rounds correctly.
        // Vectors of embeddings are almost all numbers of this shape.
        if significantDigits <= 15, decimalExponent >= -22, decimalExponent <= 22 {
            var value = Double(mantissa)
            if decimalExponent >= 0 { value *= powersOfTen[decimalExponent] } else { value /= powersOfTen[-decimalExponent] }
            return negative ? -value : value
        }
        // Otherwise the standard library's correctly rounded conversion (the grammar is checked).
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<p]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is out of range", at: start)
        }
        return value
    }

    private mutating func parseString() throws(ChatbotError) -> String {
        let open = index
        index += 1  // "
        let start = index
        // Fast path: no escapes, copy the bytes once.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                guard let s = String(validating: slice, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: open)
                }
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("unescaped control character in string") }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string", at: open) }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: open)
                }
                index += 1
                return s
            }
            if b < 0x20 { throw error("unescaped control character in string") }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { break }
            let escape = bytes[index + 1]
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = index
                index += 2
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate is only valid followed by an escaped low surrogate.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                    }
                    index += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                }
                out.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
                continue
            default:
                throw error("invalid escape '\\\(describeByte(escape))' in string")
            }
            index += 2
        }
        throw error("unterminated string", at: open)
    }

    private func describeByte(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "\\x" + String(b, radix: 16, uppercase: true)
    }

    /// Four hex digits of a `\u` escape.
    private mutating func hex4() throws(ChatbotError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("unterminated \\u escape") }
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

/// 1e0 … 1e22: every one is exactly representable as a Double.
private let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }
