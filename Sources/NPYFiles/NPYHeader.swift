import ChatbotErrors
/// The parsed header dictionary of a `.npy` file, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Parses the Python-literal dictionary NumPy writes (string keys; string, bool and
    /// int-tuple values). All three keys are required; unknown keys are rejected because
    /// their meaning (e.g. a structured dtype) cannot be honoured.
    init(parsing text: [UInt8]) throws(ChatbotError) {
        var p = Parser(bytes: text)
        var descr: String?, fortran: Bool?, shape: [Int]?
        p.skipSpace()
        try p.expect(UInt8(ascii: "{"))
        while true {
            p.skipSpace()
            if p.peek == UInt8(ascii: "}") { p.index += 1; break }
            let key = try p.string()
            p.skipSpace()
            try p.expect(UInt8(ascii: ":"))
            p.skipSpace()
            switch key {
            case "descr": descr = try p.string()
            case "fortran_order": fortran = try p.bool()
            case "shape": shape = try p.tuple()
            default: throw .headerParse("unknown key '\(key)'")
            }
            p.skipSpace()
            if p.peek == UInt8(ascii: ",") { p.index += 1; continue }
            p.skipSpace()
            try p.expect(UInt8(ascii: "}"))
            break
        }
        p.skipSpace()
        guard p.index == text.count else { throw .headerParse("unexpected text after the dictionary") }
        guard let descr else { throw .headerParse("missing 'descr'") }
        guard let fortran else { throw .headerParse("missing 'fortran_order'") }
        guard let shape else { throw .headerParse("missing 'shape'") }
        self.descr = descr
        self.fortranOrder = fortran
        self.shape = shape
    }

    init(descr: String, fortranOrder: Bool, shape: [Int]) {
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    /// The dictionary text as NumPy formats it.
    var text: String {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(dims), }"
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let c = peek, c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D { index += 1 }
        }

        mutating func expect(_ c: UInt8) throws(ChatbotError) {
            guard peek == c else {
                throw .headerParse("expected '\(Character(Unicode.Scalar(c)))' at offset \(index)")
            }
            index += 1
        }

        mutating func string() throws(ChatbotError) -> String {
            guard let q = peek, q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else {
                throw .headerParse("expected a quoted string at offset \(index)")
            }
            index += 1
            let start = index
            while let c = peek, c != q { index += 1 }
            guard peek == q else { throw .headerParse("unterminated string") }
            let s = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return s
        }

        mutating func bool() throws(ChatbotError) -> Bool {
            if word("True") { return true }
            if word("False") { return false }
            throw .headerParse("expected True or False at offset \(index)")
        }

        private mutating func word(_ w: String) -> Bool {
            let u = Array(w.utf8)
            guard index + u.count <= bytes.count, Array(bytes[index..<index + u.count]) == u else { return false }
            index += u.count
            return true
        }

        mutating func tuple() throws(ChatbotError) -> [Int] {
            try expect(UInt8(ascii: "("))
            var dims: [Int] = []
            while true {
                skipSpace()
                if peek == UInt8(ascii: ")") { index += 1; return dims }
                var value = 0, digits = 0
                while let c = peek, c >= 0x30, c <= 0x39 {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(Int(c - 0x30))
                    guard !o1, !o2 else { throw .headerParse("shape dimension too large") }
                    value = a
                    digits += 1
                    index += 1
                }
                // NumPy 1.x could write "3L" on Python 2; accept the suffix.
                if peek == UInt8(ascii: "L") { index += 1 }
                guard digits > 0 else { throw .headerParse("expected a non-negative integer in shape at offset \(index)") }
                dims.append(value)
                skipSpace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                skipSpace()
                try expect(UInt8(ascii: ")"))
                return dims
            }
        }
    }
}
